package dev.weft.bench.scenario;

import dev.weft.bench.load.ResumableStreamApi;
import dev.weft.bench.load.SseTokenReader;
import dev.weft.bench.load.TokenStreamApi;
import dev.weft.bench.load.WeftStreamApi;
import dev.weft.bench.target.ProcStats;
import dev.weft.bench.target.ResumableStreamTarget;
import dev.weft.bench.target.Target;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ai-streams}: N concurrent AI token streams, each written at R tokens/s by a backend and read by one
 * reader over SSE (AI SDK UI message stream protocol), as a chat service streaming N answers at once.
 *
 * <p>The producer is what a backend serving many answers does: a few threads, each owning a share of the
 * streams, send every 1/R s one HTTP request (keep-alive) appending the next token to each of its streams
 * (Weft: {@code POST /api/batch} of {@code stream_append}; resumable-stream: its server's {@code /append}).
 * Every token carries its sequence number and write time, so each reader measures token→reader latency and
 * checks that every token arrives once, in order. Server CPU is the target's processes' /proc CPU from the first
 * token to the last reader's {@code [DONE]}, per token delivered; a broker (Redis) is reported apart.
 *
 * <p>{@code -n} sets the stream counts, {@code --rate} the tokens/s per stream, {@code --duration} how long
 * the streams are written.
 */
public final class AiStreamsScenario implements Scenario {

    /** The bench config's API key ({@code targets/weft-bench.json}). */
    private static final String API_KEY = "weft-bench";
    private static final int PRODUCERS = 4;
    private static final long READERS_READY_SECONDS = 60;
    private static final long DRAIN_SECONDS = 30;

    @Override
    public String name() {
        return "ai-streams";
    }

    @Override
    public ScenarioOptions defaults(boolean quick, int maxConnections) {
        return quick
                ? new ScenarioOptions(true, List.of(20), List.of(20.0), Duration.ofSeconds(2), maxConnections)
                : new ScenarioOptions(false, List.of(100, 300, 1_000), List.of(50.0), Duration.ofSeconds(20),
                maxConnections);
    }

    @Override
    public List<Measurement> run(RunContext ctx) throws Exception {
        List<Measurement> results = new ArrayList<>();
        for (int size : ctx.options().sizes()) {
            int streams = Math.min(size, ctx.options().maxConnections());
            for (double rate : ctx.options().rates()) {
                results.add(step(ctx, streams, rate));
            }
        }
        return results;
    }

    private Measurement step(RunContext ctx, int streams, double rate) throws Exception {
        Target.Running server = ctx.server();
        URI base = URI.create(server.base().toString().replaceFirst("^ws", "http"));
        String run = ctx.repeat() + "n" + streams + "r" + (int) rate;
        int ticks = (int) Math.round(rate * ctx.options().stepDuration().toNanos() / 1e9);
        ctx.progress().stage(name() + " " + ctx.target().name() + " streams=" + streams + " rate=" + rate
                + " run " + ctx.repeat());
        // Readers on two clients (each has one selector thread), the producer on its own.
        try (HttpClient producer = client(); HttpClient readersA = client(); HttpClient readersB = client();
             ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS)) {
            TokenStreamApi api = ctx.target() instanceof ResumableStreamTarget
                    ? new ResumableStreamApi(producer, base, run)
                    : new WeftStreamApi(producer, base, API_KEY, run);
            List<String> ids = api.create(streams);
            long epoch = System.nanoTime();
            Recorder latencies = new Recorder(3);
            CountDownLatch started = new CountDownLatch(streams);
            List<SseTokenReader> readers = new ArrayList<>(streams);
            List<CompletableFuture<?>> responses = new ArrayList<>(streams);
            for (int i = 0; i < streams; i++) {
                SseTokenReader reader = new SseTokenReader(epoch, latencies, started);
                readers.add(reader);
                HttpRequest get = HttpRequest.newBuilder(api.reader(ids.get(i)))
                        .header("accept", "text/event-stream").build();
                responses.add((i % 2 == 0 ? readersA : readersB).sendAsync(get,
                        HttpResponse.BodyHandlers.fromLineSubscriber(reader, r -> null, "\n")));
            }
            if (!started.await(READERS_READY_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(started.getCount() + " of " + streams
                        + " readers got no first event within " + READERS_READY_SECONDS + " s");
            }
            latencies.reset();
            double cpuBefore = ProcStats.cpuSeconds(server.pids());
            Double brokerBefore = brokerCpu(server);
            long producing = System.nanoTime();
            AtomicLong lateTicks = new AtomicLong();
            Recorder appendMicros = new Recorder(3);
            List<Future<?>> writers = new ArrayList<>();
            int producerCount = Math.min(PRODUCERS, streams);
            for (int p = 0; p < producerCount; p++) {
                List<String> own = new ArrayList<>();
                for (int i = p; i < streams; i += producerCount) {
                    own.add(ids.get(i));
                }
                // Producers start spread over one tick, so the server sees requests through the tick, not in bursts.
                long offset = (long) (1e9 / rate * p / producerCount);
                writers.add(producers.submit(() -> {
                    produce(api, own, ticks, rate, producing + offset, epoch, lateTicks, appendMicros);
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            double producedSeconds = (System.nanoTime() - producing) / 1e9;
            api.finish(ids);
            try {
                CompletableFuture.allOf(responses.stream().map(f -> f.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new)).get(DRAIN_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException backlog) {
                // A target still delivering a backlog: its readers without [DONE] are the result, counted below.
            }
            double cpu = ProcStats.cpuSeconds(server.pids()) - cpuBefore;
            Double broker = brokerBefore == null ? null : brokerCpu(server) - brokerBefore;
            long rss = 0;
            for (long pid : server.pids()) {
                rss += ProcStats.rssBytes(pid);
            }
            responses.forEach(f -> f.cancel(true));
            return measurement(ctx, streams, rate, (long) streams * ticks, readers, latencies.getIntervalHistogram(),
                    producedSeconds, cpu, broker, rss, lateTicks.get(), (long) producerCount * ticks,
                    appendMicros.getIntervalHistogram());
        }
    }

    /** Writes {@code ticks} tokens to each of {@code ids}, one request per tick, ticks 1/rate s apart. */
    private static void produce(TokenStreamApi api, List<String> ids, int ticks, double rate, long start,
                                long epoch, AtomicLong lateTicks, Recorder appendMicros) throws Exception {
        long interval = (long) (1e9 / rate);
        List<String> tokens = new ArrayList<>(ids.size());
        for (int tick = 0; tick < ticks; tick++) {
            long due = start + tick * interval;
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            } else if (now - due > interval) {
                lateTicks.incrementAndGet();
            }
            tokens.clear();
            long written = System.nanoTime();
            for (int i = 0; i < ids.size(); i++) {
                tokens.add(SseTokenReader.token(tick, written, epoch));
            }
            api.append(ids, tokens);
            appendMicros.recordValue((System.nanoTime() - written) / 1_000);
        }
    }

    private Measurement measurement(RunContext ctx, int streams, double rate, long expected,
                                    List<SseTokenReader> readers, Histogram latency, double seconds, double cpu,
                                    Double broker, long rss, long lateTicks, long allTicks, Histogram appends) {
        long delivered = readers.stream().mapToLong(SseTokenReader::tokens).sum();
        long duplicates = readers.stream().mapToLong(SseTokenReader::duplicates).sum();
        long unfinished = readers.stream().filter(r -> !r.done()).count();
        List<String> notes = new ArrayList<>();
        if (lateTicks > 0) {
            notes.add(String.format("%s n=%d: producer behind by more than a tick in %d of %d ticks (achieved %.0f"
                            + " tokens/s; append requests p50 %.1f ms, p99 %.1f ms)", ctx.target().name(), streams,
                    lateTicks, allTicks, expected / seconds, appends.getValueAtPercentile(50) / 1e3,
                    appends.getValueAtPercentile(99) / 1e3));
        }
        if (unfinished > 0) {
            notes.add(ctx.target().name() + " n=" + streams + ": " + unfinished + " readers without [DONE] after "
                    + DRAIN_SECONDS + " s");
        }
        boolean any = latency.getTotalCount() > 0;
        return new Measurement(name(), ctx.target().name(), ctx.repeat(), streams, streams * rate, expected,
                delivered, unfinished, duplicates, seconds, delivered / seconds, cpu,
                delivered == 0 ? null : cpu / delivered * 1e6,
                any ? latency.getValueAtPercentile(50) / 1e3 : null, any ? latency.getValueAtPercentile(99) / 1e3 : null,
                any ? latency.getValueAtPercentile(99.9) / 1e3 : null, any ? latency.getMaxValue() / 1e3 : null,
                rss, null, null, null, null, broker == null || delivered == 0 ? null : broker / delivered * 1e6,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static Double brokerCpu(Target.Running server) throws Exception {
        return server.brokerPid().isPresent() ? ProcStats.cpuSeconds(server.brokerPid().getAsLong()) : null;
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
