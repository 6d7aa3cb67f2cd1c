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

    static List<Scenario> all() {
        return List.of(new FanoutScenario(), new ManyChannelsScenario(), new IdleScenario(),
                new ConnectStormScenario());
    }

    static Scenario named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + all().stream().map(Scenario::name).toList() + " or all"));
    }
}
