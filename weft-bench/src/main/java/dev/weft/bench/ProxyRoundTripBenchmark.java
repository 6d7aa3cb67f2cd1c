package dev.weft.bench;

import dev.weft.bench.target.ProxyBackend;
import dev.weft.server.WeftServer;
import dev.weft.server.config.ConfigLoader;
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

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an event proxy adds to a client's round trips: {@code connect} (open a WebSocket, connect without token,
 * reply, close — a connect storm of 4 concurrent clients) and {@code publish} (a publish command and its reply
 * on an open connection), with {@code proxy=on} (connect and publish proxies to a backend) and {@code off}
 * (insecure connect, namespace permission for publish). The backend is a Node.js HTTP server in its own
 * process answering at once ({@link ProxyBackend}), so this process's CPU is
 * Weft's plus the load clients' (the same in both modes): the difference per operation is what a proxied call
 * costs the server. Printed at the end of each trial as {@code cpu-per-op}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class ProxyRoundTripBenchmark {

    @Param({"off", "on"})
    public String proxy;

    private ProxyBackend backend;
    private WeftServer server;
    private URI endpoint;
    private final AtomicLong operations = new AtomicLong();
    private long cpuAtStart;

    @Setup(Level.Trial)
    public void start() throws Exception {
        String proxies = "";
        if (proxy.equals("on")) {
            Path log = Files.createTempFile("weft-proxy-backend", ".log");
            backend = ProxyBackend.start(log.getParent(), log);
            proxies = """
                    "client": {"proxy": {"connect": {"enabled": true, "endpoint": "%s"}}},
                    "channel": {"proxy": {"publish": {"endpoint": "%s"}},
                                "without_namespace": {"publish_proxy_enabled": true}},
                    """.formatted(backend.url("/connect"), backend.url("/publish"));
        } else {
            proxies = """
                    "client": {"insecure": true},
                    "channel": {"without_namespace": {"allow_publish_for_client": true}},
                    """;
        }
        Path config = Files.createTempFile("weft-proxy-bench", ".json");
        Files.writeString(config, "{" + proxies + """
                "http_server": {"address": "127.0.0.1", "port": 0},
                "engine": {"type": "memory"},
                "log": {"level": "warn"}
                }""");
        server = WeftServer.start(ConfigLoader.load(Optional.of(config), Map.of(), Map.of()).config());
        Files.delete(config);
        endpoint = URI.create("ws://127.0.0.1:" + server.port() + "/connection/websocket");
    }

    @Setup(Level.Iteration)
    public void countFromHere() {
        operations.set(0);
        cpuAtStart = processCpuNanos();
    }

    @TearDown(Level.Iteration)
    public void reportCpu() {
        long ops = operations.get();
        if (ops > 0) {
            System.out.printf("%ncpu-per-op proxy=%s: %.1f µs (%d operations)%n", proxy,
                    (processCpuNanos() - cpuAtStart) / 1000.0 / ops, ops);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
        if (backend != null) {
            backend.close();
        }
    }

    /** One client connection of a load thread, for the publish round trips. */
    @State(Scope.Thread)
    public static class Connection {
        Client client;

        @Setup(Level.Trial)
        public void open(ProxyRoundTripBenchmark bench) throws Exception {
            client = Client.connect(bench.endpoint);
        }

        @TearDown(Level.Trial)
        public void close() {
            client.socket.abort();
        }
    }

    @Benchmark
    public void connect() throws Exception {
        Client.connect(endpoint).socket.abort();
        operations.incrementAndGet();
    }

    @Benchmark
    public void publish(Connection connection) throws Exception {
        connection.client.request("{\"id\":%d,\"publish\":{\"channel\":\"bench\",\"data\":{\"text\":\"hello\"}}}");
        operations.incrementAndGet();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** A JSON-protocol client on the JDK's WebSocket: one command at a time, waiting for its reply. */
    static final class Client implements WebSocket.Listener {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private int nextId = 1;

        static Client connect(URI endpoint) throws Exception {
            Client c = new Client();
            c.socket = HTTP.newWebSocketBuilder().buildAsync(endpoint, c).get(10, TimeUnit.SECONDS);
            c.request("{\"id\":%d,\"connect\":{}}");
            return c;
        }

        /** Sends {@code command} (with {@code %d} for its id) and waits for the reply; fails on an error reply. */
        void request(String command) throws Exception {
            int id = nextId++;
            socket.sendText(command.formatted(id), true).get(10, TimeUnit.SECONDS);
            String needle = "\"id\":" + id + ",";
            while (true) {
                String frame = replies.poll(10, TimeUnit.SECONDS);
                if (frame == null) {
                    throw new IllegalStateException("no reply to " + command);
                }
                if (frame.contains(needle)) {
                    if (frame.contains("\"error\"")) {
                        throw new IllegalStateException("refused: " + frame);
                    }
                    return;
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                replies.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
