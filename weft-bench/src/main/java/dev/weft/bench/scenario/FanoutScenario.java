package dev.weft.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fanout}: N subscribers on one channel, one publisher. For each N the offered load (deliveries/s)
 * steps up until the target falls behind (or runs the rates given).
 *
 * <p>{@code cluster-fanout} is the same shape against clusters of Weft nodes (subscribers spread evenly over the
 * nodes, the publisher on the first node, history on): smaller defaults, because several server JVMs and a
 * broker share the machine with the generator. 100 subscribers make one publication per 100 deliveries, so the
 * broker's share shows; 1 000 make the nodes' fan-out the main cost.
 */
public final class FanoutScenario implements Scenario {

    private static final String CHANNEL = "bench";

    private final String name;
    private final ScenarioOptions quickDefaults;
    private final ScenarioOptions fullDefaults;

    private FanoutScenario(String name, ScenarioOptions quickDefaults, ScenarioOptions fullDefaults) {
        this.name = name;
        this.quickDefaults = quickDefaults;
        this.fullDefaults = fullDefaults;
    }

    /** One server per target. */
    public static FanoutScenario single() {
        return new FanoutScenario("fanout",
                new ScenarioOptions(true, List.of(50), List.of(2_000.0), Duration.ofSeconds(1), 0),
                new ScenarioOptions(false, List.of(1_000, 10_000, 50_000),
                        List.of(50_000.0, 100_000.0, 200_000.0, 400_000.0), Duration.ofSeconds(5), 0));
    }

    /** Clusters of nodes sharing Redis or NATS. */
    public static FanoutScenario cluster() {
        return new FanoutScenario("cluster-fanout",
                new ScenarioOptions(true, List.of(30), List.of(600.0), Duration.ofSeconds(1), 0),
                new ScenarioOptions(false, List.of(100, 1_000),
                        List.of(20_000.0, 40_000.0), Duration.ofSeconds(8), 0));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        ScenarioOptions d = quick ? quickDefaults : fullDefaults;
        return new ScenarioOptions(d.quick(), d.sizes(), d.rates(), d.stepDuration(), maxConnections);
    }

    @Override
    public List<Measurement> run(RunContext ctx) throws Exception {
        List<Measurement> results = new ArrayList<>();
        for (int size : ctx.options().sizes()) {
            int n = Math.min(size, ctx.options().maxConnections());
            results.addAll(PublishStep.steps(ctx, name(), n, size, i -> List.of(CHANNEL), n, () -> CHANNEL,
                    channel -> n));
        }
        return results;
    }
}
