package dev.weft.nats;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The NATS engine of one node: one connection, the {@link NatsBroker} and {@link NatsPresenceManager} on it.
 * {@link #open} connects (failing at once when NATS cannot be reached, so a misconfigured node does not start)
 * and creates the history stream and KV buckets if they are missing; afterwards the connection reconnects on
 * its own, forever, and the broker catches its subscribers up each time it is back. The broker owns the
 * connection: closing it (as a {@code Node} does on shutdown) closes the connection.
 */
public final class NatsEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsEngine.class);
    /** While disconnected, publishes fail at once rather than queue: this bounds the queue at nothing. */
    private static final long RECONNECT_BUFFER_BYTES = 0;

    private final NatsBroker broker;
    private final NatsPresenceManager presence;
    private final NatsControlBus controlBus;

    private NatsEngine(NatsBroker broker, NatsPresenceManager presence, NatsControlBus controlBus) {
        this.broker = broker;
        this.presence = presence;
        this.controlBus = controlBus;
    }

    public static NatsEngine open(NatsEngineConfig config) {
        Connection connection = null;
        try {
            Options options = new Options.Builder()
                    .server(config.url())
                    .connectionName("weft")
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(500))
                    .reconnectBufferSize(RECONNECT_BUFFER_BYTES)
                    .connectionTimeout(config.timeout())
                    .errorListener(new LoggingErrorListener())
                    .build();
            connection = Nats.connect(options);
            KeyValue idempotency = bucket(connection, config.prefix(), "IDEMPOTENCY", IdempotencyKeys.BUCKET_MAX_AGE);
            KeyValue presenceBucket = bucket(connection, config.prefix(), "PRESENCE",
                    NatsPresenceManager.BUCKET_MAX_AGE);
            NatsBroker broker = new NatsBroker(connection, config.prefix(), config.timeout(),
                    new IdempotencyKeys(idempotency, config.timeout()));
            NatsPresenceManager presence = new NatsPresenceManager(presenceBucket, config.timeout());
            connection.addConnectionListener((conn, event) -> {
                switch (event) {
                    case DISCONNECTED -> log.warn("NATS connection lost; publishes fail until it is back");
                    case RECONNECTED -> log.info("NATS connection back at {}", conn.getConnectedUrl());
                    case RESUBSCRIBED -> broker.catchUpAll();
                    default -> { }
                }
            });
            KeyValue revocations = bucket(connection, config.prefix(), "REVOCATIONS",
                    NatsControlBus.REVOCATIONS_MAX_AGE);
            return new NatsEngine(broker, presence, new NatsControlBus(connection, config.prefix(), revocations));
        } catch (IOException | JetStreamApiException e) {
            closeQuietly(connection);
            throw new NatsEngineException("could not set up the NATS engine at " + config.url() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(connection);
            throw new NatsEngineException("interrupted while connecting to NATS at " + config.url(), e);
        }
    }

    public NatsBroker broker() {
        return broker;
    }

    public NatsPresenceManager presenceManager() {
        return presence;
    }

    /** The control bus between the nodes, on the same connection. */
    public NatsControlBus controlBus() {
        return controlBus;
    }

    /** Closes the broker, the presence manager and the connection. What is in NATS stays. */
    @Override
    public void close() {
        presence.close();
        broker.close();
    }

    /** A stream or bucket name for {@code prefix}: dots become underscores, upper-cased, then {@code _kind}. */
    static String resourceName(String prefix, String kind) {
        return prefix.replace('.', '_').toUpperCase(Locale.ROOT) + "_" + kind;
    }

    /** Creates the file-backed history stream over {@code subjects} unless it exists. */
    static StreamInfo ensureStream(JetStreamManagement management, String name, String subjects)
            throws IOException, JetStreamApiException {
        try {
            return management.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10059) {
                throw e;
            }
        }
        StreamConfiguration config = StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .storageType(StorageType.File)
                .allowDirect(true)
                .denyPurge(false)
                .build();
        try {
            return management.addStream(config);
        } catch (JetStreamApiException e) {
            return management.getStreamInfo(name); // another node created it first
        }
    }

    private static KeyValue bucket(Connection connection, String prefix, String kind, Duration maxAge)
            throws IOException, JetStreamApiException {
        String name = resourceName(prefix, kind);
        KeyValueManagement management = connection.keyValueManagement();
        try {
            management.getStatus(name);
        } catch (JetStreamApiException e) {
            try {
                management.create(KeyValueConfiguration.builder().name(name).storageType(StorageType.File)
                        .maxHistoryPerKey(1).ttl(maxAge).build());
            } catch (JetStreamApiException raced) {
                management.getStatus(name); // another node created it first; fails if it truly is not there
            }
        }
        return connection.keyValue(name);
    }

    /** jnats' own reports, through SLF4J: one line each, no stack traces for the expected network errors. */
    private static final class LoggingErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            log.warn("NATS server error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            log.debug("NATS connection: {}", exp.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            log.warn("NATS dropped messages for this node (slow consumer); subscribers catch up from history");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
