package dev.weft.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code many-channels}: N connections, each in its personal channel {@code p<i>} and in the group channel
 * {@code g<i/10>} it shares with nine others; messages go to channels chosen uniformly at random among all
 * of them (the shape of Centrifugo's million-connection test).
 */
public final class ManyChannelsScenario implements Scenario {

    private static final int GROUP = 10;

    @Override
    public String name() {
        return "many-channels";
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        return quick
                ? new ScenarioOptions(true, List.of(100), List.of(1_000.0), Duration.ofSeconds(1), maxConnections)
                : new ScenarioOptions(false, List.of(10_000),
                        List.of(10_000.0, 20_000.0, 40_000.0, 80_000.0), Duration.ofSeconds(5), maxConnections);
    }

    @Override
    public List<Measurement> run(RunContext ctx) throws Exception {
        List<Measurement> results = new ArrayList<>();
        for (int size : ctx.options().sizes()) {
            int n = Math.min(size, ctx.options().maxConnections());
            int groups = (n + GROUP - 1) / GROUP;
            int lastGroupSize = n - (groups - 1) * GROUP;
            // Each connection is in one personal and one group channel: 2n memberships over n + groups channels.
            double meanFanout = 2.0 * n / (n + groups);
            results.addAll(PublishStep.steps(ctx, name(), n, size,
                    i -> List.of("p" + i, "g" + i / GROUP), meanFanout,
                    () -> {
                        int pick = ThreadLocalRandom.current().nextInt(n + groups);
                        return pick < n ? "p" + pick : "g" + (pick - n);
                    },
                    channel -> channel.charAt(0) == 'p' ? 1
                            : Integer.parseInt(channel.substring(1)) == groups - 1 ? lastGroupSize : GROUP));
        }
        return results;
    }
}
