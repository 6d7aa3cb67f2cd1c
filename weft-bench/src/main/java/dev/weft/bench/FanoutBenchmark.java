package dev.weft.bench;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.client.ClientSession;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;
import dev.weft.server.metrics.ServerMetrics;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One publication to N in-memory subscribers through the real engine (Node → MemoryBroker → Hub →
 * ClientSession → Transport.write), against the same fan-out encoding the push once per subscriber.
 * Transports only count bytes, so this measures the engine, not a network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class FanoutBenchmark {

    @Param({"10000"})
    public int subscribers;

    @Param({"JSON", "PROTOBUF"})
    public ProtocolType format;

    /** {@code prometheus}: the server's metrics bound, so every delivery also counts a frame and its bytes. */
    @Param({"none", "prometheus"})
    public String metrics;

    private Node node;
    private final LongAdder bytesWritten = new LongAdder();
    private final List<CountingTransport> transports = new ArrayList<>();
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        node = new Node(NodeConfig.DEFAULT.withClient(ClientOptions.builder().insecure(true)
                .pingInterval(Duration.ofHours(1)).build()),
                new MemoryBroker(), new MemoryPresenceManager());
        if (metrics.equals("prometheus")) {
            node.setMetrics(new ServerMetrics().engine());
        }
        byte[] frame = ProtocolCodecs.of(format).encodeCommands(List.of(
                new Command(1, new ConnectRequest("", null, Map.of(), "bench", "", Map.of())),
                new Command(2, SubscribeRequest.of("bench"))));
        for (int i = 0; i < subscribers; i++) {
            CountingTransport t = new CountingTransport(format, bytesWritten);
            transports.add(t);
            ClientSession session = node.connect(t);
            session.handleFrame(frame);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.channels().getOrDefault("bench", 0) < subscribers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscribers did not subscribe in time");
            }
            Thread.sleep(10);
        }
        payload = "{\"price\":101.25,\"symbol\":\"WEFT\",\"ts\":1700000000000}".getBytes(StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.shutdown(Duration.ofSeconds(1));
    }

    /** What Weft does: the broker delivers, the hub encodes once per format, every subscriber gets that array. */
    @Benchmark
    public long encodeOnceFanout() {
        node.publish("bench", payload, "", Map.of());
        return bytesWritten.sum();
    }

    /** The naive alternative, for comparison: encode the push again for every subscriber. */
    @Benchmark
    public long encodePerSubscriber() {
        Push push = new Push("bench", new Publication(payload, null, 0));
        var codec = ProtocolCodecs.of(format);
        for (CountingTransport t : transports) {
            t.write(codec.encodeReply(Reply.push(push)));
        }
        return bytesWritten.sum();
    }

    /** Counts what would be written; never full. */
    static final class CountingTransport implements Transport {
        private final ProtocolType type;
        private final LongAdder bytes;

        CountingTransport(ProtocolType type, LongAdder bytes) {
            this.type = type;
            this.bytes = bytes;
        }

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public ProtocolType protocolType() {
            return type;
        }

        @Override
        public boolean unidirectional() {
            return false;
        }

        @Override
        public String remoteAddress() {
            return "bench";
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public boolean write(byte[] frame) {
            bytes.add(frame.length);
            return true;
        }

        @Override
        public void close(Disconnect disconnect) {
        }
    }
}
