package dev.weft.bench.cli;

import dev.weft.bench.load.LoadGenerator;
import dev.weft.bench.load.Progress;
import dev.weft.bench.report.Charts;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.Medians;
import dev.weft.bench.report.ResultFile;
import dev.weft.bench.report.Tables;
import dev.weft.bench.scenario.Measurement;
import dev.weft.bench.scenario.RunContext;
import dev.weft.bench.scenario.Scenario;
import dev.weft.bench.scenario.ScenarioOptions;
import dev.weft.bench.target.Target;
import dev.weft.bench.target.TargetEnvironment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs scenarios against targets: every repeat runs every target once, in an order rotated per repeat so
 * slow drifts of a noisy machine spread over all targets; each run gets a freshly started server. Then it
 * folds repeats into medians, prints the tables and writes the result file and charts.
 */
public final class Harness {

    /** A target that failed to start or broke mid-run: recorded as a row with the reason, the run goes on. */
    private static final String FAILED = "failed: ";

    private final List<Scenario> scenarios;
    private final List<Target> targets;
    private final int repeats;
    private final boolean quick;
    private final UnaryOperator<ScenarioOptions> overrides;
    private final TargetEnvironment environment;
    private final int maxConnections;
    private final String command;

    public Harness(List<Scenario> scenarios, List<Target> targets, int repeats, boolean quick,
                   UnaryOperator<ScenarioOptions> overrides, TargetEnvironment environment, int maxConnections,
                   String command) {
        this.scenarios = scenarios;
        this.targets = targets;
        this.repeats = repeats;
        this.quick = quick;
        this.overrides = overrides;
        this.environment = environment;
        this.maxConnections = maxConnections;
        this.command = command;
    }

    /** Runs everything; returns the result file written under the environment's run directory. */
    public ResultFile run(PrintStream out, Progress progress) throws Exception {
        Files.createDirectories(environment.runDir());
        String startedAt = Instant.now().toString();
        List<Measurement> runs = new ArrayList<>();
        Machine machine;
        try (LoadGenerator generator = new LoadGenerator(Runtime.getRuntime().availableProcessors())) {
            machine = Machine.current(generator.epoll());
            for (Scenario scenario : scenarios) {
                ScenarioOptions options = overrides.apply(scenario.defaults(quick, maxConnections));
                for (int repeat = 1; repeat <= repeats; repeat++) {
                    for (int t = 0; t < targets.size(); t++) {
                        Target target = targets.get((t + repeat - 1) % targets.size());
                        progress.stage(scenario.name() + " " + target.name() + " run " + repeat + "/" + repeats);
                        runs.addAll(runOne(scenario, target, options, generator, progress, repeat));
                    }
                }
            }
        } finally {
            progress.done();
        }
        List<Measurement> medians = Medians.of(runs);
        List<String> targetNames = targets.stream().map(Target::name).toList();
        List<String> charts = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            out.println(Tables.render(scenario.name(), medians, targetNames));
            for (Path chart : Charts.write(scenario.name(), medians, targetNames, environment.runDir())) {
                charts.add(chart.getFileName().toString());
            }
        }
        ResultFile result = new ResultFile(command, startedAt, machine, Machine.current(machine.epoll()).loadAverage(),
                targetNames, scenarios.stream().map(Scenario::name).toList(), repeats, quick, runs, medians, charts);
        Path file = environment.runDir().resolve("results.json");
        result.write(file);
        out.println("results: " + file);
        charts.forEach(c -> out.println("chart:   " + environment.runDir().resolve(c)));
        return result;
    }

    private List<Measurement> runOne(Scenario scenario, Target target, ScenarioOptions options,
                                     LoadGenerator generator, Progress progress, int repeat) {
        try (Target.Running server = target.start(environment, scenario.measuresMemory())) {
            return scenario.run(new RunContext(target, server, generator, progress, options, repeat));
        } catch (Exception e) {
            progress.done();
            System.err.println(scenario.name() + " against " + target.name() + " failed: " + e);
            return List.of(new Measurement(scenario.name(), target.name(), repeat, 0, 0, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    FAILED + e.getMessage()));
        }
    }
}
