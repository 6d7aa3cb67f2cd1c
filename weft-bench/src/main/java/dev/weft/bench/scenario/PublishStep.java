package dev.weft.bench.scenario;

import dev.weft.bench.load.ClientSession;
import dev.weft.bench.load.Deliveries;
import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.Pacer;
import dev.weft.bench.target.ProcStats;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * One load step shared by the publishing scenarios: publish at a rate for the step's duration, wait for the
 * deliveries to drain, and measure latency, throughput and the server's CPU over the whole step.
 */
final class PublishStep {

    /** No delivery for this long after publishing ended means the rest will not come. */
    private static final long DRAIN_IDLE_NANOS = 3_000_000_000L;

    private PublishStep() {
    }

    /**
     * Opens {@code n} subscribers (connection {@code i} in {@code channelsOf(i)}) and a publisher, runs the
     * scenario's load steps until the target falls behind, and closes everything.
     *
     * @param asked the size the user asked for, when the open-file limit made {@code n} smaller
     */
    static List<Measurement> steps(RunContext ctx, String scenario, int n, int asked,
                                   IntFunction<List<String>> channelsOf, double meanFanout,
                                   Supplier<String> nextTarget, ToLongFunction<String> subscribersOf)
            throws Exception {
        Dialect dialect = ctx.target().dialect();
        Deliveries deliveries = new Deliveries();
        List<URI> nodes = ctx.server().bases();
        List<ClientSession> sessions = ctx.generator().openAll(n, 256,
                i -> dialect.subscriberUri(nodes.get(nodeOf(i, nodes.size())), channelsOf.apply(i)),
                i -> dialect.subscriber(channelsOf.apply(i), deliveries), ctx.progress(), 120_000 + n * 10L);
        ClientSession publisher = ctx.generator().openAll(1, 1, i -> dialect.publisherUri(ctx.server().base()),
                i -> dialect.publisher(), ctx.progress(), 60_000).getFirst();
        List<Measurement> results = new ArrayList<>();
        try {
            for (double rate : ctx.options().rates()) {
                Measurement m = run(ctx, scenario, n, publisher, deliveries, rate, meanFanout, nextTarget,
                        subscribersOf);
                if (n < asked) {
                    m = m.withNote("capped at " + n + " connections by the open-file limit (asked " + asked + ")");
                }
                results.add(m);
                if (!keptUp(m) || !ctx.server().alive()) {
                    break;
                }
            }
        } finally {
            publisher.close();
            sessions.forEach(ClientSession::close);
            Thread.sleep(ctx.options().quick() ? 200 : 2_000);
        }
        return results;
    }

    /** The node subscriber {@code i} connects to: round robin, so every node holds n/nodes (± 1) of them. */
    static int nodeOf(int subscriber, int nodes) {
        return subscriber % nodes;
    }

    /**
     * @param deliveriesPerSecond offered load
     * @param meanFanout          subscribers per publication on average, to turn the load into a publish rate
     */
    private static Measurement run(RunContext ctx, String scenario, int connections, ClientSession publisher,
                           Deliveries deliveries, double deliveriesPerSecond, double meanFanout,
                           Supplier<String> nextTarget, ToLongFunction<String> subscribersOf) throws Exception {
        List<Long> pids = ctx.server().pids();
        OptionalLong brokerPid = ctx.server().brokerPid();
        deliveries.takeLatencies();
        long countBefore = deliveries.count();
        long lostBefore = ctx.generator().lost();
        double cpuBefore = ProcStats.cpuSeconds(pids);
        double brokerCpuBefore = brokerPid.isPresent() ? ProcStats.cpuSeconds(brokerPid.getAsLong()) : 0;
        long start = System.nanoTime();
        long duration = ctx.options().stepDuration().toNanos();
        ctx.progress().update(String.format("n=%d publishing %.0f deliveries/s", connections, deliveriesPerSecond));
        Pacer.Result sent = Pacer.run(publisher, deliveriesPerSecond / meanFanout, duration, nextTarget,
                subscribersOf).get();
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (deliveries.count() - countBefore < sent.expectedDeliveries()) {
            long count = deliveries.count();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > DRAIN_IDLE_NANOS) {
                break;
            }
            ctx.progress().update(String.format("n=%d draining %d/%d", connections, count - countBefore,
                    sent.expectedDeliveries()));
            Thread.sleep(5);
        }
        long delivered = deliveries.count() - countBefore;
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ProcStats.cpuSeconds(pids) - cpuBefore;
        Double brokerCpuPerMillion = brokerPid.isPresent() && delivered > 0
                ? (ProcStats.cpuSeconds(brokerPid.getAsLong()) - brokerCpuBefore) / (delivered / 1e6) : null;
        Histogram latency = deliveries.takeLatencies();
        return new Measurement(scenario, ctx.target().name(), ctx.repeat(), connections, deliveriesPerSecond,
                sent.expectedDeliveries(), delivered, ctx.generator().lost() - lostBefore, sent.skipped(),
                seconds, delivered / seconds, cpu, delivered == 0 ? null : cpu / (delivered / 1e6),
                millis(latency, 50), millis(latency, 99), millis(latency, 99.9),
                latency.getTotalCount() == 0 ? null : latency.getMaxValue() / 1000.0,
                null, null, null, null, null, brokerCpuPerMillion, null);
    }

    /** Whether the target kept up well enough that a higher step is worth running. */
    static boolean keptUp(Measurement m) {
        return m.complete() && m.skipped() == 0 && m.perSecond() >= 0.9 * m.offered() && m.p99Ms() != null
                && m.p99Ms() < 1000;
    }

    private static Double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? null : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
