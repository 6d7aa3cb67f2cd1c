package dev.weft.bench;

import dev.weft.server.WeftServer;
import dev.weft.server.config.ConfigLoader;
import dev.weft.store.postgres.PrivatePostgres;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Postgres change streams end to end: rows inserted into a Postgres of its own ({@code wal_level=logical})
 * reach a WebSocket subscriber of Weft (in this process, memory engine) through the change stream. Two phases:
 * <ul>
 *   <li>latency: one row per transaction at a steady rate; per row, insert call → publication received by the
 *       client (the row carries the sender's {@code System.nanoTime()});</li>
 *   <li>throughput: rows inserted as fast as two sessions can (100 rows per transaction); changes per second
 *       from the first insert to the last delivery, and CPU per 1 000 rows: Postgres (every process of the
 *       cluster: the inserting sessions, the WAL sender decoding for Weft, background writers), the WAL sender
 *       alone, and this process (Weft plus the client and the inserting JDBC threads).</li>
 * </ul>
 * The subscriber may queue up to 256 MiB ({@code client.queue_max_size}): the JDK WebSocket client reading one
 * message at a time is slower than the stream at full speed, and would otherwise be disconnected as a slow
 * consumer. Arguments: {@code [rate rows/s] [latency seconds] [throughput rows]}, default {@code 500 20 30000}.
 */
public final class ChangeStreamBenchmark {
    private static final String CHANNEL = "bench:rows";

    private final AtomicLong received = new AtomicLong();
    private volatile long lastReceivedNanos;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    private volatile boolean recordLatency;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
        new ChangeStreamBenchmark().run(rate, seconds, rows);
        System.exit(0);
    }

    private void run(int rate, int seconds, int rows) throws Exception {
        try (PrivatePostgres postgres = new PrivatePostgres()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres";
            sql(url, "create table bench_rows (id bigserial primary key, t bigint not null, pad text not null)");
            Path config = Files.createTempFile("weft-changes-bench", ".json");
            Files.writeString(config, """
                    {"client": {"insecure": true, "queue_max_size": 268435456},
                     "http_server": {"address": "127.0.0.1", "port": 0},
                     "engine": {"type": "memory"},
                     "log": {"level": "warn"},
                     "channel": {"namespaces": [{"name": "bench"}]},
                     "postgres_changes": [{"name": "bench", "dsn": "%s",
                        "tables": [{"table": "bench_rows", "channel": "%s"}]}]}
                    """.formatted(postgres.dsn(), CHANNEL));
            WeftServer server = WeftServer.start(ConfigLoader.load(Optional.of(config), Map.of(), Map.of()).config());
            Files.delete(config);
            try {
                subscribe(URI.create("ws://127.0.0.1:" + server.port() + "/connection/websocket"));
                awaitSlotActive(url);
                insertAll(url, 5_000, 100, 1); // warm-up: JIT, connections, caches
                awaitReceived(5_000);

                received.set(0);
                latency.reset();
                recordLatency = true;
                int paced = rate * seconds;
                try (Connection c = DriverManager.getConnection(url, "postgres", "");
                     Statement s = c.createStatement()) {
                    long start = System.nanoTime();
                    for (int i = 0; i < paced; i++) {
                        long due = start + i * 1_000_000_000L / rate;
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                        s.execute("insert into bench_rows (t, pad) values (" + System.nanoTime() + ", 'p')");
                    }
                }
                awaitReceived(paced);
                recordLatency = false;
                System.out.printf("latency: %d rows at %d rows/s, one per transaction: p50 %.2f ms, p90 %.2f ms, "
                                + "p99 %.2f ms, max %.2f ms%n", paced, rate, ms(latency.getValueAtPercentile(50)),
                        ms(latency.getValueAtPercentile(90)), ms(latency.getValueAtPercentile(99)),
                        ms(latency.getMaxValue()));

                received.set(0);
                long walSender = walSenderPid(url);
                long pgCpu = clusterCpuNanos(postgres.port());
                long senderCpu = cpuNanos(walSender);
                long ownCpu = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                        .getProcessCpuTime();
                long start = System.nanoTime();
                insertAll(url, rows, 100, 2);
                long inserted = System.nanoTime();
                awaitReceived(rows);
                double elapsed = (lastReceivedNanos - start) / 1e9;
                long pgUsed = clusterCpuNanos(postgres.port()) - pgCpu;
                long senderUsed = cpuNanos(walSender) - senderCpu;
                long ownUsed = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                        .getProcessCpuTime() - ownCpu;
                System.out.printf("throughput: %d rows (100 per transaction, 2 sessions): inserted in %.2f s, "
                                + "delivered in %.2f s = %.0f changes/s end to end%n", rows,
                        (inserted - start) / 1e9, elapsed, rows / elapsed);
                System.out.printf("CPU per 1 000 rows: Postgres (all processes) %.1f ms, of which the WAL sender "
                                + "%.1f ms; this process (Weft + client + inserters) %.1f ms%n",
                        pgUsed / 1e6 / (rows / 1000.0), senderUsed / 1e6 / (rows / 1000.0),
                        ownUsed / 1e6 / (rows / 1000.0));
            } finally {
                server.close(Duration.ofSeconds(1));
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private void subscribe(URI endpoint) throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    long now = System.nanoTime();
                    for (String message : text.toString().split("\n")) {
                        if (message.contains("\"pub\"")) {
                            int at = message.indexOf("\"t\":\"");
                            if (recordLatency && at >= 0) {
                                long sent = Long.parseLong(message.substring(at + 5, message.indexOf('"', at + 5)));
                                latency.recordValue(Math.max(0, now - sent));
                            }
                            lastReceivedNanos = now;
                            received.incrementAndGet();
                        } else if (message.contains("\"id\":2")) {
                            subscribed.countDown();
                        }
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                System.out.printf("the subscriber was disconnected: %d %s%n", statusCode, reason);
                return null;
            }
        }).join();
        socket.sendText("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"" + CHANNEL + "\"}}", true)
                .join();
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no subscribe reply");
        }
    }

    /** {@code rows} rows in transactions of {@code perTransaction}, split over {@code sessions} connections. */
    private static void insertAll(String url, int rows, int perTransaction, int sessions) throws Exception {
        CompletableFuture<?>[] running = new CompletableFuture<?>[sessions];
        for (int session = 0; session < sessions; session++) {
            int share = rows / sessions + (session < rows % sessions ? 1 : 0);
            running[session] = CompletableFuture.runAsync(() -> {
                try (Connection c = DriverManager.getConnection(url, "postgres", "");
                     Statement s = c.createStatement()) {
                    for (int done = 0; done < share; done += perTransaction) {
                        int n = Math.min(perTransaction, share - done);
                        s.execute("insert into bench_rows (t, pad) select " + System.nanoTime()
                                + ", 'p' from generate_series(1, " + n + ")");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, Thread::startVirtualThread);
        }
        CompletableFuture.allOf(running).join();
    }

    private void awaitReceived(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (received.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received.get() + " of " + count + " changes arrived");
            }
            Thread.sleep(5);
        }
    }

    private static void awaitSlotActive(String url) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (walSenderPid(url) > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the change stream did not start");
    }

    private static long walSenderPid(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pid from pg_stat_replication where application_name like "
                     + "'weft-changes-%'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /**
     * CPU of the cluster: the postmaster listening on {@code port} with the CPU of its children that exited
     * (reaped, so in its {@code cutime}/{@code cstime}), plus its children alive now.
     */
    private static long clusterCpuNanos(int port) throws java.io.IOException {
        ProcessHandle postmaster = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("-p " + port)).orElse(false)
                        && p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .findFirst().orElseThrow();
        // /proc/<pid>/stat after the command's closing parenthesis: field 14 is utime, 15 stime, 16 cutime,
        // 17 cstime, in clock ticks (USER_HZ, 100 on Linux).
        String stat = Files.readString(Path.of("/proc/" + postmaster.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int field = 14; field <= 17; field++) {
            ticks += Long.parseLong(fields[field - 3]);
        }
        return ticks * 10_000_000L + postmaster.children().mapToLong(p -> cpuNanos(p.pid())).sum();
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
