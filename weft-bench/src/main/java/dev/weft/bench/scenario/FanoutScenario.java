package dev.weft.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fanout}: N subscribers on one channel, one publisher. For each N the offered load (deliveries/s)
 * steps up until the target falls behind (or runs the rates given).
 */
public final class FanoutScenario implements Scenario {

    private static final String CHANNEL = "bench";

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        return quick
                ? new ScenarioOptions(true, List.of(50), List.of(2_000.0), Duration.ofSeconds(1), maxConnections)
                : new ScenarioOptions(false, List.of(1_000, 10_000, 50_000),
                        List.of(50_000.0, 100_000.0, 200_000.0, 400_000.0), Duration.ofSeconds(5), maxConnections);
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
