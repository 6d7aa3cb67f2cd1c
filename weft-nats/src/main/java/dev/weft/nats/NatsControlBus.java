package dev.weft.nats;

import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlEnvelope;
import dev.weft.core.limits.LogThrottle;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The control bus over core NATS: broadcasts on {@code <prefix>.control}, messages for one node on
 * {@code <prefix>.node.<token(id)>}, both read by one dispatcher (so what one node sends another arrives in
 * order). Each message is a {@link ControlEnvelope} (sender id, then the bytes). At most once: while the
 * connection is down, sends fail and are dropped with a log line — the control plane times requests out and
 * heartbeats repeat. Thread-safe.
 */
public final class NatsControlBus implements ControlBus {
    private static final Logger log = LoggerFactory.getLogger(NatsControlBus.class);

    private final Connection connection;
    private final String prefix;
    private final LogThrottle sendFailures = new LogThrottle(Duration.ofSeconds(10));
    private volatile String nodeId;
    private volatile Dispatcher dispatcher;

    public NatsControlBus(Connection connection, String prefix) {
        this.connection = connection;
        this.prefix = SubjectTokens.checkPrefix(prefix);
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
