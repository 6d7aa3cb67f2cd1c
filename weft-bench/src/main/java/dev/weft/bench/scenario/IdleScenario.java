package dev.weft.bench.scenario;

import dev.weft.bench.load.ClientSession;
import dev.weft.bench.load.Deliveries;
import dev.weft.bench.load.Dialect;
import dev.weft.bench.target.MemorySample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code idle}: connections that subscribe to their personal channel and then do nothing but answer pings,
 * added in steps; at each step the server's memory after a full GC, per connection above the empty server.
 */
public final class IdleScenario implements Scenario {

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public boolean measuresMemory() {
        return true;
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        return quick
                ? new ScenarioOptions(true, List.of(100, 200), List.of(), Duration.ofSeconds(1), maxConnections)
                : new ScenarioOptions(false, List.of(1_000, 5_000, 10_000, 20_000, 50_000, 100_000), List.of(),
                        Duration.ofSeconds(3), maxConnections);
    }

    @Override
    public List<Measurement> run(RunContext ctx) throws Exception {
        Dialect dialect = ctx.target().dialect();
        Deliveries deliveries = new Deliveries();
        List<ClientSession> sessions = new ArrayList<>();
        List<Measurement> results = new ArrayList<>();
        ctx.progress().update("measuring the empty server");
        MemorySample empty = ctx.server().memory();
        long lostBefore = ctx.generator().lost();
        try {
            for (int size : ctx.options().sizes()) {
                int n = Math.min(size, ctx.options().maxConnections());
                if (n <= sessions.size()) {
                    break;
                }
                int from = sessions.size();
                sessions.addAll(ctx.generator().openAll(n - from, 256,
                        i -> dialect.subscriberUri(ctx.server().base(), List.of("p" + (from + i))),
                        i -> dialect.subscriber(List.of("p" + (from + i)), deliveries), ctx.progress(),
                        120_000 + n * 10L));
                ctx.progress().update("n=" + n + " settling");
                Thread.sleep(ctx.options().stepDuration().toMillis());
                MemorySample held = ctx.server().memory();
                long managed = held.managedBytes() < 0 || empty.managedBytes() < 0 ? -1
                        : held.managedBytes() - empty.managedBytes();
                Measurement m = new Measurement(name(), ctx.target().name(), ctx.repeat(), n, n, (long) n,
                        (long) n, ctx.generator().lost() - lostBefore, null, null, null, null, null, null, null,
                        null, null, held.rssBytes(), held.heapBytes() < 0 ? null : held.heapBytes(),
                        held.directBytes() < 0 ? null : held.directBytes(),
                        (double) (held.rssBytes() - empty.rssBytes()) / n,
                        managed < 0 ? null : (double) managed / n, null,
                        n < size ? "capped at " + n + " connections by the open-file limit (asked " + size + ")" : null);
                results.add(m);
                if (n < size) {
                    break;
                }
            }
        } finally {
            sessions.forEach(ClientSession::close);
            Thread.sleep(ctx.options().quick() ? 200 : 2_000);
        }
        return results;
    }
}
