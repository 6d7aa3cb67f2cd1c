package dev.weft.bench.scenario;

import java.util.List;

/** One benchmark shape, run the same way against every target. */
public interface Scenario {

    String name();

    /** Whether the target should run with native memory tracking (memory scenarios only: it costs CPU). */
    default boolean measuresMemory() {
        return false;
    }

    /** Defaults for this scenario, quick or full; command-line options override them. */
    ScenarioOptions defaults(boolean quick, int maxConnections);

    List<Measurement> run(RunContext context) throws Exception;

    /** The scenarios {@code all} runs: the single-server ones, run against the same targets. */
    static List<Scenario> all() {
        return List.of(FanoutScenario.single(), new ManyChannelsScenario(), new IdleScenario(),
                new ConnectStormScenario());
    }

    /** Runs against clusters of Weft nodes ({@code --engine}, {@code --nodes}) instead of single servers. */
    static Scenario clustered() {
        return FanoutScenario.cluster();
    }

    /** AI token streams over HTTP: run against {@code weft} and {@code resumable-stream}, not in {@code all}. */
    static Scenario aiStreams() {
        return new AiStreamsScenario();
    }

    static Scenario named(String name) {
        Scenario cluster = clustered();
        if (cluster.name().equals(name)) {
            return cluster;
        }
        Scenario ai = aiStreams();
        if (ai.name().equals(name)) {
            return ai;
        }
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + all().stream().map(Scenario::name).toList() + ", " + cluster.name() + ", " + ai.name()
                        + " or all"));
    }
}
