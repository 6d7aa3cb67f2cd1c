package dev.weft.postgres.outbox;

import dev.weft.core.limits.LogThrottle;
import dev.weft.store.postgres.PostgresDsn;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Consumes one outbox table: a thread per partition runs {@link OutboxPartition} passes, back to back while
 * full batches come, otherwise after {@code partition_poll_interval} or as soon as a notification names the
 * partition (a LISTEN thread when {@code partition_notification_channel} is set). Every thread keeps one
 * connection of its own and opens a new one after a failure.
 *
 * <p>Postgres down: each partition retries with {@link Backoff} (10 ms doubling to 5 s), the outage is logged
 * once per {@link #OUTAGE_LOG_INTERVAL} and its end once, and consuming resumes by itself.
 *
 * <p>Thread-safe: {@link #start} once, {@link #close} from any thread.
 */
public final class OutboxConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxConsumer.class);
    static final Duration OUTAGE_LOG_INTERVAL = Duration.ofSeconds(10);
    /** How long a pass waits for a partition lock another node holds before giving up until the next wake-up. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** The LISTEN thread's pause after losing its connection (Centrifugo's). */
    private static final Duration LISTEN_RETRY = Duration.ofSeconds(1);

    private final OutboxConfig config;
    private final OutboxCommands commands;
    private final PostgresDsn dsn;
    private final PostgresDsn notificationDsn;
    /** One slot per partition: a pending wake-up, like Centrifugo's buffered channels of one. */
    private final List<BlockingQueue<Boolean>> wakeUps = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LogThrottle outageLog = new LogThrottle(OUTAGE_LOG_INTERVAL);
    /** Whether the dead-letter table was created (or found) since start. */
    private final AtomicBoolean deadLetterReady = new AtomicBoolean();
    private final LongAdder rowsDone = new LongAdder();
    private final LongAdder rowsRejected = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Why the last pass of some partition failed; null while all is well. */
    private volatile String unavailable;
    private volatile boolean closed;

    public OutboxConsumer(OutboxConfig config, OutboxCommands commands) {
        this.config = config;
        this.commands = commands;
        this.dsn = PostgresDsn.parse(config.dsn());
        this.notificationDsn = config.notificationDsn().isEmpty() ? dsn : PostgresDsn.parse(config.notificationDsn());
        for (int i = 0; i < config.numPartitions(); i++) {
            wakeUps.add(new ArrayBlockingQueue<>(1));
        }
    }

    /** Starts the threads; returns at once (an unreachable database is retried, not a start failure). */
    public synchronized OutboxConsumer start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (int i = 0; i < config.numPartitions(); i++) {
            int partition = i;
            threads.add(Thread.ofPlatform().daemon().name("weft-outbox-" + config.name() + "-" + i)
                    .start(() -> consume(partition)));
        }
        if (!config.notificationChannel().isEmpty()) {
            threads.add(Thread.ofPlatform().daemon().name("weft-outbox-" + config.name() + "-listen")
                    .start(this::listen));
        }
        log.info("outbox consumer {} on {} ({} partitions, poll {}, notifications {})", config.name(),
                config.table(), config.numPartitions(), config.pollInterval(),
                config.notificationChannel().isEmpty() ? "off" : "on " + config.notificationChannel());
        return this;
    }

    public OutboxConfig config() {
        return config;
    }

    /** Rows taken off the outbox since start: run, or set aside (these included). */
    public long rowsDone() {
        return rowsDone.sum();
    }

    /** Rows set aside in the dead-letter table (or the log) since start. */
    public long rowsRejected() {
        return rowsRejected.sum();
    }

    /** Failed passes since start (Postgres unreachable, a command to retry). */
    public long failures() {
        return failures.sum();
    }

    /** Why consuming is failing right now (Postgres unreachable, a command retried), or null. */
    public String unavailableReason() {
        return unavailable;
    }

    /** Stops the threads: a pass under way finishes (its commands are not cut in half). */
    @Override
    public void close() {
        List<Thread> started;
        synchronized (this) {
            closed = true;
            started = List.copyOf(threads);
        }
        started.forEach(Thread::interrupt);
        for (Thread t : started) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void consume(int partition) {
        OutboxPartition pass = new OutboxPartition(config, commands, partition);
        Backoff backoff = new Backoff();
        Connection connection = null;
        while (!closed) {
            Duration pause;
            try {
                if (connection == null) {
                    connection = connect(dsn);
                    connection.setAutoCommit(false);
                    try (Statement s = connection.createStatement()) {
                        s.execute("SET lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
                    }
                    connection.commit();
                    ensureDeadLetterTable(connection);
                }
                OutboxPartition.Pass result = pass.run(connection);
                rowsDone.add(result.rows());
                rowsRejected.add(result.rejected());
                if (result.retryReason() != null) {
                    pause = failed(partition, result.retryReason(), backoff);
                } else {
                    recovered();
                    backoff.reset();
                    boolean mayHaveMore = !result.lockBusy() && result.rows() >= config.selectLimit();
                    pause = mayHaveMore ? Duration.ZERO : config.pollInterval();
                }
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                connection = null;
                pause = failed(partition, e.getMessage(), backoff);
            }
            if (!pause.isZero() && !waitForWork(partition, pause)) {
                break;
            }
        }
        closeQuietly(connection);
    }

    /** Waits for a notification of {@code partition} or {@code pause}; false when interrupted by close. */
    private boolean waitForWork(int partition, Duration pause) {
        try {
            wakeUps.get(partition).poll(pause.toNanos(), TimeUnit.NANOSECONDS);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private Duration failed(int partition, String reason, Backoff backoff) {
        failures.increment();
        String was = unavailable;
        unavailable = reason;
        long left = outageLog.admit();
        if (left >= 0 || was == null) {
            log.warn("outbox {} partition {}: {} (retrying with backoff; {} more failures in the last {} not "
                    + "logged)", config.name(), partition, reason, Math.max(left, 0), OUTAGE_LOG_INTERVAL);
        }
        return backoff.next();
    }

    private void recovered() {
        if (unavailable != null) {
            unavailable = null;
            log.info("outbox {}: consuming again", config.name());
        }
    }

    /** The LISTEN loop: wakes the partition each notification names. */
    private void listen() {
        while (!closed) {
            try (Connection connection = connect(notificationDsn);
                 Statement s = connection.createStatement()) {
                s.execute("LISTEN \"" + config.notificationChannel().replace("\"", "\"\"") + "\"");
                wakeAll(); // rows committed while no one listened
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        wake(n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                log.debug("outbox {}: LISTEN connection lost: {}", config.name(), e.getMessage());
                wakeAll(); // the partitions find out whether Postgres is gone, rather than at their next poll
                try {
                    Thread.sleep(LISTEN_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void wake(String payload) {
        int partition;
        try {
            partition = Integer.parseInt(payload.strip());
        } catch (NumberFormatException e) {
            log.warn("outbox {}: notification payload {} is not a partition number", config.name(), payload);
            return;
        }
        if (partition < 0 || partition >= wakeUps.size()) {
            log.warn("outbox {}: notification names partition {}, out of range 0..{}", config.name(), partition,
                    wakeUps.size() - 1);
            return;
        }
        wakeUps.get(partition).offer(Boolean.TRUE);
    }

    private void wakeAll() {
        wakeUps.forEach(q -> q.offer(Boolean.TRUE));
    }

    /**
     * Creates the dead-letter table when missing, once, on the first connection that works (not at start: an
     * unreachable database must not hold the server's start up). Without the right to, rejected rows go to the
     * log instead.
     */
    private void ensureDeadLetterTable(Connection connection) throws SQLException {
        if (deadLetterReady.get()) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute(OutboxSchema.deadLetterSql(config.deadLetterTable()));
            connection.commit();
            deadLetterReady.set(true);
        } catch (SQLException e) {
            connection.rollback();
            // CREATE needs a right on the schema even when the table exists; or another partition made it.
            if (deadLetterExists(connection)) {
                deadLetterReady.set(true);
                return;
            }
            if (deadLetterReady.compareAndSet(false, true)) { // said once; a broken connection is retried above
                log.warn("outbox {}: cannot create dead-letter table {} ({}); create it with the DDL in "
                        + "docs/postgres.md, rejected rows are logged meanwhile", config.name(),
                        config.deadLetterTable(), e.getMessage());
            }
        }
    }

    private boolean deadLetterExists(Connection connection) throws SQLException {
        try (var s = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, config.deadLetterTable());
            try (var r = s.executeQuery()) {
                boolean exists = r.next() && r.getBoolean(1);
                connection.commit();
                return exists;
            }
        }
    }

    private Connection connect(PostgresDsn address) throws SQLException {
        Properties properties = address.properties();
        properties.putAll(config.connectionProperties());
        properties.putIfAbsent("ApplicationName", "weft-outbox-" + config.name());
        properties.putIfAbsent("connectTimeout", "5");
        properties.putIfAbsent("socketTimeout", "60");
        return DriverManager.getConnection(address.jdbcUrl(), properties);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
        }
    }
}
