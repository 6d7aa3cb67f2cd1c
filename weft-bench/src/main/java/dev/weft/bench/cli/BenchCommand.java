package dev.weft.bench.cli;

import dev.weft.bench.load.Progress;
import dev.weft.bench.scenario.Scenario;
import dev.weft.bench.scenario.ScenarioOptions;
import dev.weft.bench.target.ClusterTarget;
import dev.weft.bench.target.JavaLauncher;
import dev.weft.bench.target.ProcStats;
import dev.weft.bench.target.Target;
import dev.weft.bench.target.TargetEnvironment;
import dev.weft.bench.target.Targets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./weft bench <scenario> [options]}: the side-by-side harness. See docs/benchmarks.md.
 */
@Command(name = "weft bench", mixinStandardHelpOptions = true,
        description = "Starts each target on loopback, drives it with one load generator and reports latency,"
                + " throughput, server CPU and memory side by side.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "fanout, many-channels, idle, connect-storm, all (these four),"
            + " cluster-fanout, or ai-streams (AI token streams over HTTP: weft and resumable-stream by default)")
    String scenario;

    @Option(names = "--target",
            description = "weft, weft-protobuf, socketio, nats, ceiling, weft-proxy (Weft with connect and publish"
                    + " proxies to a local backend; not in all), resumable-stream and weft-redis-1 (ai-streams only),"
                    + " a comma-separated list, or all (default);"
                    + " not for cluster-fanout, whose targets come from --engine and --nodes")
    String target;

    @Option(names = "--engine", split = ",", defaultValue = "redis,nats",
            description = "cluster-fanout: the engines the nodes share, redis and/or nats (default both);"
                    + " each run starts a private redis-server or nats-server")
    List<String> engines;

    @Option(names = "--nodes", split = ",", defaultValue = "1,3",
            description = "cluster-fanout: Weft nodes per cluster, e.g. 1,3 (default)")
    List<Integer> nodeCounts;

    @Option(names = "--quick", description = "small sizes and short steps: every scenario × target in about a minute")
    boolean quick;

    @Option(names = {"-n", "--connections"}, split = ",",
            description = "connection counts (subscribers, connections held; ai-streams: streams, one reader each);"
                    + " default per scenario")
    List<Integer> sizes;

    @Option(names = "--rate", split = ",",
            description = "offered load per step: deliveries/s (fanout, many-channels) or connects/s"
                    + " (connect-storm), tokens/s per stream (ai-streams); default: rising steps until the target"
                    + " falls behind")
    List<Double> rates;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "length of each step: 5s, 500ms, 1m or ISO-8601 (default per scenario)")
    Duration duration;

    @Option(names = "--repeat", defaultValue = "1", description = "runs per target, interleaved; medians reported")
    int repeats;

    @Option(names = "--out", description = "result directory (default bench-results/<scenario>-<time>)")
    Path out;

    @Option(names = "--jfr", description = "record JVM targets with Java Flight Recorder into the result directory")
    boolean flightRecord;

    @Option(names = "--server-jvm-opts", description = "extra JVM flags for Weft and the ceiling, space-separated")
    String serverJvmOpts;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command; returns the exit code. */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        return new CommandLine(new BenchCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = scenario.equals("all") ? Scenario.all() : List.of(Scenario.named(scenario));
        boolean clustered = scenario.equals(Scenario.clustered().name());
        if (clustered && target != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    scenario + " runs against clusters: choose them with --engine and --nodes, not --target");
        }
        List<Target> targets = clustered
                ? ClusterTarget.of(engines.stream().map(ClusterTarget.Engine::parse).toList(), nodeCounts)
                : Targets.parse(target != null ? target
                        : scenario.equals(Scenario.aiStreams().name()) ? "weft,resumable-stream" : "all");
        Path runDir = out != null ? out : Path.of("bench-results", scenario + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        long openFiles = ProcStats.openFilesLimit();
        // Each connection is one file in the generator and one in the server (which inherits the limit).
        int maxConnections = openFiles < 0 ? Integer.MAX_VALUE : (int) Math.max(100, openFiles - 500);
        TargetEnvironment env = new TargetEnvironment(benchHome(), runDir.toAbsolutePath(),
                new JavaLauncher(serverJvmOpts == null ? List.of() : Arrays.asList(serverJvmOpts.trim().split("\\s+"))),
                flightRecord);
        Harness harness = new Harness(chosen, targets, repeats, quick, this::override, env,
                maxConnections, "weft bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        harness.run(System.out, Progress.toStderr());
        return 0;
    }

    private ScenarioOptions override(ScenarioOptions defaults) {
        return new ScenarioOptions(defaults.quick(), sizes != null ? sizes : defaults.sizes(),
                rates != null ? rates : defaults.rates(), duration != null ? duration : defaults.stepDuration(),
                defaults.maxConnections());
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, or ISO-8601 ({@code PT5S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            var simple = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(value.trim());
            if (!simple.matches()) {
                return Duration.parse(value);
            }
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
    }

    /** The weft-bench module directory: {@code -Dweft.bench.home}, or found from the working directory. */
    static Path benchHome() {
        String configured = System.getProperty("weft.bench.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path candidate : List.of(Path.of("."), Path.of("weft-bench"))) {
            if (Files.isDirectory(candidate.resolve("targets/socketio"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find weft-bench/targets: run from the checkout or set -Dweft.bench.home");
    }
}
