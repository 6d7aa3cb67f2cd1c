package dev.weft.bench;

import dev.weft.postgres.outbox.OutboxSchema;
import dev.weft.server.WeftServer;
import dev.weft.server.config.ConfigLoader;
import dev.weft.store.postgres.PostgresDsn;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transactional outbox end to end: rows committed to Postgres ({@code weft_publish}, one transaction each)
 * → Weft's outbox consumer → a WebSocket subscriber, with {@code partition_poll_interval} 300 ms alone
 * ({@code poll}) and with the LISTEN/NOTIFY trigger ({@code notify}), one after the other in one run.
 *
 * <p>Two phases per mode: <b>steady</b>, rows at a fixed rate from 8 connections, measuring commit → client latency (each row's data
 * carries its commit time); <b>burst</b>, a backlog of rows committed in one transaction, measuring rows/s from
 * the commit to the last delivery (the consumer's drain rate). Postgres CPU is the {@code utime + stime} of the consumer's
 * backends ({@code pg_stat_activity.application_name} {@code weft-outbox-*}, read from {@code /proc/<pid>/stat}),
 * per 1 000 rows; the inserting backend's CPU is printed apart. Needs the machine's Postgres on the same host.
 *
 * <p>{@code java … dev.weft.bench.OutboxBenchmark [dsn] [steadyRate] [steadySeconds] [burstRows]}
 */
public final class OutboxBenchmark {
    private static final Pattern SEQ_AT = Pattern.compile("\"t\": ?(\\d+)");
    private static final int PARTITIONS = 4;
    /** Connections committing the steady rows: one commit waits for its fsync, so one connection is not enough. */
    private static final int INSERTERS = 8;
    private static final String PUBLISH = "SELECT weft_publish('bench-' || ?, ('{\"t\":' || ? || '}')::jsonb, ?)";
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private OutboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String dsn = args.length > 0 ? args[0] : "postgresql://postgres@127.0.0.1:5432/test";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int burst = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        System.out.printf("outbox benchmark: steady %d rows/s for %d s, burst %d rows, %d partitions%n", rate,
                seconds, burst, PARTITIONS);
        for (String mode : List.of("poll", "notify", "poll", "notify")) {
            run(dsn, mode, rate, seconds, burst);
        }
    }

    private static void run(String serverDsn, String mode, int rate, int seconds, int burst) throws Exception {
        String schema = "weft_bench_" + UUID.randomUUID().toString().replace("-", "");
        String dsn = serverDsn + "?currentSchema=" + schema;
        exec(serverDsn, "CREATE SCHEMA " + schema);
        exec(dsn, OutboxSchema.outboxSql());
        Path config = Files.createTempFile("weft-outbox-bench", ".json");
        Files.writeString(config, """
                {"client": {"insecure": true}, "engine": {"type": "memory"},
                 "docs": {"yjs": {"enabled": false}, "hocuspocus": {"enabled": false}},
                 "http_server": {"address": "127.0.0.1", "port": 0},
                 "consumers": [{"name": "bench", "enabled": true, "type": "postgresql", "postgresql": {
                   "dsn": "%s", "outbox_table_name": "centrifugo_outbox", "num_partitions": %d,
                   "partition_select_limit": 100, "partition_poll_interval": "300ms"%s}}]}"""
                .formatted(dsn, PARTITIONS, mode.equals("notify")
                        ? ", \"partition_notification_channel\": \"centrifugo_partition_change\"" : ""));
        WeftServer server = WeftServer.start(ConfigLoader.load(Optional.of(config), Map.of(), Map.of()).config());
        Subscriber client = new Subscriber(server.port());
        try {
            Thread.sleep(1000); // consumer connections up
            List<Integer> backends = consumerBackends(dsn);
            // Steady: INSERTERS connections take turns on one schedule, each row its own transaction.
            long cpu0 = cpuTicks(backends);
            long delivered0 = client.count.get();
            synchronized (client.latencies) {
                client.latencies.reset();
            }
            int total = rate * seconds;
            long period = 1_000_000_000L / rate;
            List<Connection> inserters = new ArrayList<>();
            List<Integer> inserterPids = new ArrayList<>();
            for (int k = 0; k < INSERTERS; k++) {
                inserters.add(connect(dsn));
                inserterPids.add(backendPid(inserters.get(k)));
            }
            long inserterCpu0 = cpuTicks(inserterPids);
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < INSERTERS; k++) {
                Connection c = inserters.get(k);
                int first = k;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (PreparedStatement s = c.prepareStatement(PUBLISH)) {
                        for (int i = first; i < total; i += INSERTERS) {
                            long wait = start + i * period - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            int p = i % PARTITIONS;
                            s.setInt(1, p);
                            s.setLong(2, System.nanoTime());
                            s.setInt(3, p);
                            s.execute();
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            client.awaitCount(delivered0 + total);
            long cpu = cpuTicks(backends) - cpu0;
            long inserterCpu = cpuTicks(inserterPids) - inserterCpu0;
            for (Connection c : inserters) {
                c.close();
            }
            Histogram h = client.latencies;
            System.out.printf("%-6s steady %4.0f rows/s: latency p50 %6.1f ms p99 %6.1f ms max %6.1f ms; consumer "
                            + "backends CPU %5.0f ms per 1 000 rows (inserting backends %4.0f ms)%n", mode, achieved,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3,
                    ticksToMs(cpu) * 1000.0 / total, ticksToMs(inserterCpu) * 1000.0 / total);
            // Burst: a backlog committed at once, drained as fast as the consumer can.
            delivered0 = client.count.get();
            long committedAt;
            try (Connection c = connect(dsn); PreparedStatement s = c.prepareStatement(PUBLISH)) {
                c.setAutoCommit(false);
                for (int i = 0; i < burst; i++) {
                    int p = i % PARTITIONS;
                    s.setInt(1, p);
                    s.setLong(2, System.nanoTime());
                    s.setInt(3, p);
                    s.addBatch();
                    if (i % 1000 == 999) {
                        s.executeBatch();
                    }
                }
                s.executeBatch();
                cpu0 = cpuTicks(backends); // the consumer saw nothing yet: the rows are not committed
                committedAt = System.nanoTime();
                c.commit();
            }
            client.awaitCount(delivered0 + burst);
            long done = System.nanoTime();
            cpu = cpuTicks(backends) - cpu0;
            System.out.printf("%-6s burst of %d rows in one transaction: commit → last delivery %.2f s = %6.0f rows/s;"
                            + " consumer backends CPU %5.0f ms per 1 000 rows%n", mode, burst, (done - committedAt) / 1e9,
                    burst / ((done - committedAt) / 1e9), ticksToMs(cpu) * 1000.0 / burst);
        } finally {
            client.close();
            server.close(java.time.Duration.ZERO);
            exec(serverDsn, "DROP SCHEMA " + schema + " CASCADE");
            Files.deleteIfExists(config);
        }
    }

    private static double ticksToMs(long ticks) {
        return ticks * 1000.0 / CLOCK_TICKS;
    }

    /** utime + stime of the processes, in clock ticks. */
    private static long cpuTicks(List<Integer> pids) throws Exception {
        long sum = 0;
        for (int pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        }
        return sum;
    }

    private static List<Integer> consumerBackends(String dsn) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = connect(dsn); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'weft-outbox-bench'")) {
            while (r.next()) {
                pids.add(r.getInt(1));
            }
        }
        return pids;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static Connection connect(String dsn) throws SQLException {
        PostgresDsn d = PostgresDsn.parse(dsn);
        return DriverManager.getConnection(d.jdbcUrl(), d.properties());
    }

    private static void exec(String dsn, String sql) throws SQLException {
        try (Connection c = connect(dsn); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** One WebSocket client subscribed to every partition's channel, timing each publication. */
    private static final class Subscriber implements WebSocket.Listener {
        final AtomicLong count = new AtomicLong();
        final Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        private final WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        Subscriber(int port) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/connection/websocket"), this).join();
            StringBuilder commands = new StringBuilder("{\"id\":1,\"connect\":{}}");
            for (int p = 0; p < PARTITIONS; p++) {
                commands.append("\n{\"id\":").append(p + 2).append(",\"subscribe\":{\"channel\":\"bench-").append(p)
                        .append("\"}}");
            }
            socket.sendText(commands, true).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                if (partial.toString().strip().equals("{}")) {
                    webSocket.sendText("{}", true); // the server's ping: answer it or be disconnected
                }
                Matcher m = SEQ_AT.matcher(partial);
                while (m.find()) {
                    synchronized (latencies) {
                        latencies.recordValue(Math.max(0, (now - Long.parseLong(m.group(1))) / 1000));
                    }
                    count.incrementAndGet();
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        void awaitCount(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (count.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (count.get() < n) {
                throw new IllegalStateException("delivered " + count.get() + " of " + n);
            }
        }

        void close() {
            socket.abort();
        }
    }
}
