package dev.weft.nats;

import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlEnvelope;
import dev.weft.core.limits.LogThrottle;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The control bus over core NATS: broadcasts on {@code <prefix>.control}, messages for one node on
 * {@code <prefix>.node.<token(id)>}, both read by one dispatcher (so what one node sends another arrives in
 * order). Each message is a {@link ControlEnvelope} (sender id, then the bytes). At most once: while the
 * connection is down, sends fail and are dropped with a log line — the control plane times requests out and
 * heartbeats repeat. Revocations are also stored, synchronously, in a KV bucket for nodes that join later
 * ({@link #storeRevocation}). Thread-safe.
 */
public final class NatsControlBus implements ControlBus {
    private static final Logger log = LoggerFactory.getLogger(NatsControlBus.class);

    private final Connection connection;
    private final String prefix;
    /** How long stored revocations are kept at most: {@link TokenRevocations#DEFAULT_REVOCATION_TTL_SECONDS}. */
    static final Duration REVOCATIONS_MAX_AGE = Duration.ofSeconds(TokenRevocations.DEFAULT_REVOCATION_TTL_SECONDS);

    private final KeyValue revocations;
    private final LogThrottle sendFailures = new LogThrottle(Duration.ofSeconds(10));
    private volatile String nodeId;
    private volatile Dispatcher dispatcher;

    NatsControlBus(Connection connection, String prefix, KeyValue revocations) {
        this.connection = connection;
        this.prefix = SubjectTokens.checkPrefix(prefix);
        this.revocations = revocations;
    }

    @Override
    public void requireReachable() {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new BrokerUnavailableException("NATS connection is " + connection.getStatus(), null);
        }
    }

    /**
     * In the KV bucket {@code <PREFIX>_REVOCATIONS}, keyed by the message's SHA-256 (the same revocation twice
     * is one entry). The bucket's max age ({@link #REVOCATIONS_MAX_AGE}) drops entries, so a longer
     * {@code expireAt} is cut to it; readers ignore revocations that lapsed before.
     */
    @Override
    public void storeRevocation(byte[] message, long expireAt) {
        requireReachable();
        try {
            revocations.put(revocationKey(message), message);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not store a revocation in NATS: " + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> revocations() {
        requireReachable();
        try {
            List<byte[]> out = new ArrayList<>();
            for (String key : revocations.keys()) {
                KeyValueEntry entry = revocations.get(key);
                if (entry != null && entry.getValue() != null) {
                    out.add(entry.getValue());
                }
            }
            return out;
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not load revocations from NATS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while loading revocations", e);
        }
    }

    private static String revocationKey(byte[] message) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private String broadcastSubject() {
        return prefix + ".control";
    }

    private String nodeSubject(String id) {
        return prefix + ".node." + SubjectTokens.token(id);
    }

    @Override
    public void start(String id, Receiver receiver) {
        this.nodeId = id;
        Dispatcher d = connection.createDispatcher((Message msg) -> {
            ControlEnvelope envelope;
            try {
                envelope = ControlEnvelope.decode(msg.getData());
            } catch (IllegalArgumentException e) {
                log.warn("dropping a malformed control message on {}: {}", msg.getSubject(), e.getMessage());
                return;
            }
            if (!envelope.sender().equals(id)) {
                receiver.receive(envelope.sender(), envelope.message());
            }
        });
        d.subscribe(broadcastSubject());
        d.subscribe(nodeSubject(id));
        this.dispatcher = d;
        try {
            connection.flush(Duration.ofSeconds(5)); // the server has the subscriptions before anyone is told of us
        } catch (Exception e) {
            log.warn("control bus subscriptions not confirmed by NATS yet: {}", e.toString());
        }
    }

    @Override
    public void broadcast(byte[] message) {
        publish(broadcastSubject(), message);
    }

    @Override
    public void send(String target, byte[] message) {
        publish(nodeSubject(target), message);
    }

    private void publish(String subject, byte[] message) {
        try {
            connection.publish(subject, new ControlEnvelope(nodeId, message).encode());
        } catch (RuntimeException e) { // connection down (no reconnect buffer) or closed
            long left = sendFailures.admit();
            if (left >= 0) {
                log.warn("control message to {} not sent ({} more not logged): {}", subject, left, e.toString());
            }
        }
    }

    @Override
    public void close() {
        Dispatcher d = dispatcher;
        if (d != null && connection.getStatus() != Connection.Status.CLOSED) {
            try {
                connection.flush(Duration.ofSeconds(1)); // the goodbye goes out before we stop listening
            } catch (Exception e) {
                log.debug("flush before leaving the control bus failed", e);
            }
            connection.closeDispatcher(d);
        }
    }
}
