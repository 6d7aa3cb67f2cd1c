package dev.weft.bench;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.broker.PublishOptions;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.nats.NatsEngine;
import dev.weft.nats.NatsEngineConfig;
import dev.weft.nats.SharedNats;
import dev.weft.protocol.model.Publication;
import dev.weft.redis.RedisBroker;
import dev.weft.redis.RedisTestSupport;
import dev.weft.store.sqlite.SqliteBroker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Publications with history per second through the broker alone, {@code sqlite} (each publish returns once its
 * transaction is committed with {@code synchronous=FULL}: WAL fsync'ed) against {@code memory}. 64 publisher
 * threads (-t to change) stand for concurrent API calls and client publishes: with the durable engine their
 * publishes share transactions and fsyncs. Each thread publishes into one of {@code channels} channels (history
 * size 1000, TTL 5 min), the node is subscribed to every channel and the handler counts what it is given, so
 * delivery is part of the cost. The file is on the default temporary directory ({@code java.io.tmpdir}).
 *
 * <p>{@code redis} and {@code nats} put the same publishes through the scale-out engines, against the machine's
 * Redis (127.0.0.1:6379) and NATS with JetStream (127.0.0.1:4222): one Lua script per publish (history in a
 * Redis Stream, then PUBLISH) and one JetStream append plus a core NATS publish, each delivered back to this
 * node over the engine's subscription. Each trial works under a prefix of its own and deletes its keys or
 * stream and buckets at teardown (with the helpers the engines' tests use).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(64)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
public class DurablePublishBenchmark {

    @Param({"sqlite", "memory", "redis", "nats"})
    public String engine;

    @Param({"64"})
    public int channels;

    private static final PublishOptions HISTORY = PublishOptions.withHistory(1000, Duration.ofMinutes(5));
    private static final byte[] PAYLOAD = "{\"text\":\"a publication of about sixty bytes, like chat\"}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Broker broker;
    private Path directory;
    private NatsEngine nats;
    /** The Redis key prefix or NATS subject prefix of this trial, so its data can be found and deleted. */
    private final String prefix = "weftbench-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger threads = new AtomicInteger();
    /** Publications delivered to the handler, so delivery is not optimised away. */
    public final LongAdder delivered = new LongAdder();

    @State(Scope.Thread)
    public static class Publisher {
        String channel;

        @Setup(Level.Trial)
        public void pickChannel(DurablePublishBenchmark bench) {
            channel = "bench:" + (bench.threads.getAndIncrement() % bench.channels);
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        broker = switch (engine) {
            case "sqlite" -> {
                directory = Files.createTempDirectory("weft-durable-bench");
                yield SqliteBroker.open(directory);
            }
            case "memory" -> new MemoryBroker();
            case "redis" -> new RedisBroker(RedisTestSupport.config(prefix));
            case "nats" -> {
                nats = NatsEngine.open(NatsEngineConfig.of(SharedNats.URL, prefix));
                yield nats.broker();
            }
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
        broker.setEventHandler(new BrokerEventHandler() {
            @Override
            public void handlePublication(String channel, Publication publication, String epoch, boolean delta) {
                delivered.increment();
            }

            @Override
            public void handleJoin(String channel, ClientInfo info) {
            }

            @Override
            public void handleLeave(String channel, ClientInfo info) {
            }
        });
        for (int i = 0; i < channels; i++) {
            broker.subscribe("bench:" + i);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (nats != null) {
            nats.close();
            SharedNats.deletePrefix(SharedNats.URL, prefix);
        } else {
            broker.close();
        }
        if (engine.equals("redis")) {
            RedisTestSupport.deleteKeys(RedisTestSupport.ADDRESS, prefix);
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public long publish(Publisher publisher) {
        return broker.publish(publisher.channel, PAYLOAD, HISTORY).position().offset();
    }
}
