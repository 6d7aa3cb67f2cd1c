package dev.weft.bench.scenario;

import dev.weft.bench.load.ClientSession;
import dev.weft.bench.load.Deliveries;
import dev.weft.bench.load.Dialect;
import dev.weft.bench.target.ProcStats;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code connect-storm}: new connections (each subscribing to one channel) opened at a rising rate, one
 * step per rate; connect time is TCP connect → protocol ready (subscribed). Stops after the first step whose
 * p99 exceeds one second or where connections fail. Full runs first warm the target up with an unrecorded
 * step at the first rate, so a JVM target is not measured while it compiles.
 */
public final class ConnectStormScenario implements Scenario {

    private static final String CHANNEL = "storm";

    @Override
    public String name() {
        return "connect-storm";
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        return quick
                ? new ScenarioOptions(true, List.of(), List.of(100.0, 200.0), Duration.ofSeconds(1), maxConnections)
                : new ScenarioOptions(false, List.of(),
                        List.of(500.0, 1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0), Duration.ofSeconds(2),
                        maxConnections);
    }

    @Override
    public List<Measurement> run(RunContext ctx) throws Exception {
        Dialect dialect = ctx.target().dialect();
        List<Measurement> results = new ArrayList<>();
        if (!ctx.options().quick() && !ctx.options().rates().isEmpty()) {
            // A freshly started JVM target would spend the first step compiling its connect path: warm it up
            // with the first rate for twice the step, and do not record that.
            double first = ctx.options().rates().getFirst();
            ctx.progress().update("warming up");
            step(ctx, dialect, first, (int) Math.min(2 * first * ctx.options().stepDuration().toNanos() / 1e9,
                    ctx.options().maxConnections()));
        }
        for (double rate : ctx.options().rates()) {
            int count = (int) Math.min(rate * ctx.options().stepDuration().toNanos() / 1e9,
                    ctx.options().maxConnections());
            Measurement m = step(ctx, dialect, rate, count);
            results.add(m);
            if (m.p99Ms() == null || m.p99Ms() > 1000 || !m.complete() || !ctx.server().alive()) {
                break;
            }
        }
        return results;
    }

    private Measurement step(RunContext ctx, Dialect dialect, double rate, int count) throws Exception {
        Deliveries deliveries = new Deliveries();
        List<ClientSession> sessions = new ArrayList<>(count);
        long lostBefore = ctx.generator().lost();
        double cpuBefore = ProcStats.cpuSeconds(ctx.server().pid());
        long start = System.nanoTime();
        long interval = (long) (1e9 / rate);
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            sessions.add(ctx.generator().connect(dialect.subscriberUri(ctx.server().base(), List.of(CHANNEL)),
                    dialect.subscriber(List.of(CHANNEL), deliveries)));
            ctx.progress().update(String.format("%.0f connects/s: %d/%d", rate, i + 1, count));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(
                sessions.stream().map(s -> s.ready().exceptionally(e -> null)).toArray(CompletableFuture[]::new));
        try {
            all.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // Whatever is not ready by now counts as failed.
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ProcStats.cpuSeconds(ctx.server().pid()) - cpuBefore;
        Histogram connectMicros = new Histogram(3);
        long ready = 0;
        String firstFailure = null;
        for (ClientSession s : sessions) {
            if (s.ready().isDone() && !s.ready().isCompletedExceptionally()) {
                connectMicros.recordValue(Math.max(0, s.connectNanos() / 1000));
                ready++;
            } else if (firstFailure == null) {
                firstFailure = s.ready().isDone() ? s.ready().exceptionNow().getMessage() : "not ready after 60 s";
            }
        }
        sessions.forEach(ClientSession::close);
        Thread.sleep(ctx.options().quick() ? 200 : 1_500);
        boolean any = connectMicros.getTotalCount() > 0;
        return new Measurement(name(), ctx.target().name(), ctx.repeat(), count, rate, (long) count, ready,
                ctx.generator().lost() - lostBefore, null, seconds, ready / seconds, cpu,
                null, any ? connectMicros.getValueAtPercentile(50) / 1000.0 : null,
                any ? connectMicros.getValueAtPercentile(99) / 1000.0 : null,
                any ? connectMicros.getValueAtPercentile(99.9) / 1000.0 : null,
                any ? connectMicros.getMaxValue() / 1000.0 : null, null, null, null, null, null, null,
                firstFailure == null ? null : (count - ready) + " of " + count + " at " + (long) rate
                        + "/s did not connect, e.g. " + firstFailure);
    }
}
