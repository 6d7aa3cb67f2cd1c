package dev.weft.core.control;

import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.limits.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's part of the control plane: heartbeats into and out of the {@link NodeRegistry}, control
 * operations sent to every node with their per-node outcomes added up, revocations shared, emulation
 * requests forwarded to the node that holds the session. What the operations do on this node is the
 * {@link Handler}'s (the node's) business; this class only moves them.
 *
 * <p>Requests wait for replies in a bounded map ({@link #MAX_PENDING}); a request that finds it full, or
 * whose replies do not all come within {@link #REQUEST_TIMEOUT_MILLIS}, completes with what it has (a control
 * operation: the connections of the nodes that answered; an emulation request: unknown node).
 *
 * <p>Beside control messages (JSON, first byte {@code '{'}) the bus carries raw frames for other parts of the
 * node — document updates relayed between nodes serving one room — told apart by their first byte, a
 * {@link FrameListener}'s kind: {@link #attach} a listener, broadcast through the {@link FrameChannel} it returns.
 *
 * <p>Incoming messages are handled on {@code executor}, never on the bus's delivery thread. Thread-safe.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    /** Requests waiting for replies at most; more complete at once with this node's own outcome. */
    public static final int MAX_PENDING = 10_000;
    public static final long REQUEST_TIMEOUT_MILLIS = 5_000;
    private static final long SWEEP_MILLIS = 1_000;

    /** What the node does with what the cluster tells it; called on the executor. */
    public interface Handler {
        /** This node, for its heartbeat. */
        NodeInfo describe();

        /** Applies a control operation to this node's connections; returns how many it reached. */
        int apply(ControlMessage control);

        /** Applies another node's revocation or invalidation here (without sending it on). */
        void revoked(ControlMessage revocation);

        /** Delivers an emulation request to a session on this node; returns the outcome's name. */
        String emulate(ControlMessage emulation);

        /** {@code nodeId} is gone (silent too long, or said goodbye): drop what it owned. */
        void nodeGone(String nodeId);
    }

    /** Receives the raw frames of one kind that other nodes broadcast; called on the executor. */
    public interface FrameListener {
        /** A frame from {@code fromNode}; its first byte is the kind this listener was attached for. */
        void frame(String fromNode, byte[] frame);

        /** {@code nodeId} is gone: drop what came from it. */
        void nodeGone(String nodeId);
    }

    /** Sends frames of one kind to every other node (at most once, like every message on the bus). */
    @FunctionalInterface
    public interface FrameChannel {
        /** {@code frame} must start with the kind byte the channel was attached for. */
        void broadcast(byte[] frame);
    }

    private final String nodeId;
    private final ControlBus bus;
    private final Map<Byte, FrameListener> frameListeners = new ConcurrentHashMap<>();
    private final Handler handler;
    private final Executor executor;
    private final NodeRegistry registry = new NodeRegistry(System::nanoTime);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final LogThrottle dropLog = new LogThrottle(Duration.ofSeconds(10));
    private final ScheduledFuture<?> heartbeats;
    private final ScheduledFuture<?> sweeps;
    private final ScheduledExecutorService timer;
    /** Whether the revocations stored on the bus were applied; written on the executor after the start. */
    private volatile boolean revocationsLoaded;

    public Cluster(String nodeId, ControlBus bus, Handler handler, ScheduledExecutorService timer,
                   Executor executor) {
        this.nodeId = nodeId;
        this.bus = bus;
        this.handler = handler;
        this.executor = executor;
        this.timer = timer;
        bus.start(nodeId, (from, bytes) -> executor.execute(() -> receive(from, bytes)));
        revocationsLoaded = loadRevocations();
        heartbeats = timer.scheduleAtFixedRate(() -> executor.execute(this::heartbeat), 0,
                NodeRegistry.HEARTBEAT_NANOS, TimeUnit.NANOSECONDS);
        sweeps = timer.scheduleAtFixedRate(() -> executor.execute(this::sweep), SWEEP_MILLIS, SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** The other live nodes. */
    public List<NodeInfo> otherNodes() {
        return registry.nodes();
    }

    /**
     * Applies {@code control} here and on every other known node; completes with the connections reached
     * on all nodes that answered in time.
     */
    public CompletionStage<Integer> control(ControlMessage control) {
        bus.requireReachable(); // before anything is applied: an error, never this node alone silently
        int local = handler.apply(control);
        List<String> peers = registry.nodeIds();
        if (peers.isEmpty()) {
            return CompletableFuture.completedStage(local);
        }
        ControlPending request = new ControlPending(peers, local);
        long id = register(request);
        if (id == 0) {
            return CompletableFuture.completedStage(local);
        }
        bus.broadcast(ControlCodec.encode(control.withRequestId(id)));
        return request.result;
    }

    /**
     * Receives the frames of {@code kind} (any first byte but {@code '{'}) from now on; returns the channel to
     * broadcast them through.
     */
    public FrameChannel attach(byte kind, FrameListener listener) {
        if (kind == '{') {
            throw new IllegalArgumentException("'{' starts control messages");
        }
        if (frameListeners.putIfAbsent(kind, listener) != null) {
            throw new IllegalStateException("frames of kind " + kind + " already have a listener");
        }
        return frame -> {
            if (frame.length == 0 || frame[0] != kind) {
                throw new IllegalArgumentException("a frame of kind " + kind + " starts with that byte");
            }
            bus.broadcast(frame);
        };
    }

    /**
     * Tells every other node of a revocation or invalidation, and stores it on the bus until it may lapse so
     * that nodes joining later learn it too: a token revocation until the token's {@code exp} (or
     * {@link TokenRevocations#DEFAULT_REVOCATION_TTL_SECONDS} without one), a user invalidation for
     * {@link TokenRevocations#DEFAULT_REVOCATION_TTL_SECONDS}.
     *
     * @throws dev.weft.core.broker.BrokerUnavailableException when it could not be stored (nor sent)
     */
    public void shareRevocation(ControlMessage revocation) {
        byte[] bytes = ControlCodec.encode(revocation);
        long defaultExpiry = System.currentTimeMillis() / 1000 + TokenRevocations.DEFAULT_REVOCATION_TTL_SECONDS;
        boolean token = revocation.type().equals(ControlMessage.REVOKE_TOKEN);
        bus.storeRevocation(bytes, token && revocation.expireAt() > 0 ? revocation.expireAt() : defaultExpiry);
        bus.broadcast(bytes);
    }

    /**
     * Applies the revocations stored on the bus; true when done. A node that cannot read them at start (the
     * bus's server is down) tries again every second.
     */
    private boolean loadRevocations() {
        List<byte[]> stored;
        try {
            stored = bus.revocations();
        } catch (RuntimeException e) {
            if (dropLog.admit() >= 0) {
                log.warn("could not load the cluster's revocations yet: {}", e.toString());
            }
            return false;
        }
        for (byte[] bytes : stored) {
            try {
                handler.revoked(ControlCodec.decode(bytes));
            } catch (IllegalArgumentException e) {
                log.warn("skipping an unreadable stored revocation: {}", e.getMessage());
            }
        }
        if (!stored.isEmpty()) {
            log.info("applied {} revocations stored by the cluster", stored.size());
        }
        return true;
    }

    /**
     * Forwards an emulation request to node {@code target}; completes with the outcome it answers, or
     * "UNKNOWN_NODE" when no such node is known or it does not answer in time.
     */
    public CompletionStage<String> emulate(String target, ControlMessage emulation) {
        if (!registry.knows(target)) {
            return CompletableFuture.completedStage("UNKNOWN_NODE");
        }
        EmulationPending request = new EmulationPending();
        long id = register(request);
        if (id == 0) {
            return CompletableFuture.completedStage("UNKNOWN_NODE");
        }
        bus.send(target, ControlCodec.encode(emulation.withRequestId(id)));
        return request.result;
    }

    private long register(Pending request) {
        if (pending.size() >= MAX_PENDING) {
            if (dropLog.admit() >= 0) {
                log.warn("{} control requests waiting for replies: sending no more until some complete",
                        MAX_PENDING);
            }
            return 0;
        }
        long id = requestIds.incrementAndGet();
        pending.put(id, request);
        timer.schedule(() -> {
            Pending late = pending.remove(id);
            if (late != null) {
                late.timeout();
            }
        }, REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        return id;
    }

    private void heartbeat() {
        bus.broadcast(ControlCodec.encode(ControlMessage.heartbeat(handler.describe())));
    }

    private void sweep() {
        if (!revocationsLoaded) {
            revocationsLoaded = loadRevocations();
        }
        for (String gone : registry.expire()) {
            log.warn("node {} not heard from for {} s: gone", gone, NodeRegistry.GONE_AFTER_NANOS / 1_000_000_000L);
            forget(gone);
        }
    }

    private void forget(String gone) {
        pending.values().forEach(p -> p.nodeGone(gone));
        try {
            handler.nodeGone(gone);
        } catch (RuntimeException e) { // e.g. the engine is unreachable: other survivors may still clean up
            log.warn("could not drop what node {} owned: {}", gone, e.toString());
        }
        frameListeners.values().forEach(listener -> {
            try {
                listener.nodeGone(gone);
            } catch (RuntimeException e) {
                log.warn("could not drop what came from node {}", gone, e);
            }
        });
    }

    private void receive(String from, byte[] bytes) {
        FrameListener frames = bytes.length > 0 && bytes[0] != '{' ? frameListeners.get(bytes[0]) : null;
        if (frames != null) {
            try {
                frames.frame(from, bytes);
            } catch (RuntimeException e) {
                log.warn("a frame of kind {} from node {} failed", bytes[0], from, e);
            }
            return;
        }
        ControlMessage m;
        try {
            m = ControlCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            if (dropLog.admit() >= 0) {
                log.warn("dropping a control message from node {}: {}", from, e.getMessage());
            }
            return;
        }
        try {
            switch (m.type()) {
                case ControlMessage.NODE -> {
                    if (m.node() != null && registry.heard(m.node())) {
                        log.info("node {} ({}) joined", m.node().name(), from);
                        heartbeat(); // so the newcomer knows this node now, not at the next beat
                    }
                }
                case ControlMessage.GOODBYE -> {
                    if (registry.left(from)) {
                        log.info("node {} left", from);
                        forget(from);
                    }
                }
                case ControlMessage.CONTROL ->
                        bus.send(from, ControlCodec.encode(ControlMessage.controlReply(m.requestId(), handler.apply(m))));
                case ControlMessage.CONTROL_REPLY, ControlMessage.EMULATION_REPLY -> {
                    Pending request = pending.get(m.requestId());
                    if (request != null && request.reply(from, m)) {
                        pending.remove(m.requestId(), request);
                    }
                }
                case ControlMessage.REVOKE_TOKEN, ControlMessage.INVALIDATE_USER -> handler.revoked(m);
                case ControlMessage.EMULATION ->
                        bus.send(from, ControlCodec.encode(ControlMessage.emulationReply(m.requestId(), handler.emulate(m))));
                default -> {
                    if (dropLog.admit() >= 0) {
                        log.info("ignoring control message of unknown type '{}' (version {}) from node {}",
                                m.type(), m.v(), from);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("control message '{}' from node {} failed", m.type(), from, e);
        }
    }

    /** Says goodbye (the others forget this node at once) and leaves the bus. */
    @Override
    public void close() {
        heartbeats.cancel(false);
        sweeps.cancel(false);
        try {
            bus.broadcast(ControlCodec.encode(ControlMessage.goodbye()));
        } catch (RuntimeException e) {
            log.debug("goodbye not sent", e);
        }
        bus.close();
        pending.values().forEach(Pending::timeout);
        pending.clear();
    }

    private interface Pending {
        /** Takes a reply; true when the request is complete. */
        boolean reply(String from, ControlMessage m);

        void nodeGone(String nodeId);

        void timeout();
    }

    private static final class ControlPending implements Pending {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        private final Set<String> awaiting;
        private int connections;

        ControlPending(List<String> peers, int local) {
            this.awaiting = new HashSet<>(peers);
            this.connections = local;
        }

        @Override
        public synchronized boolean reply(String from, ControlMessage m) {
            if (awaiting.remove(from)) {
                connections += m.connections();
            }
            return completeIfDone();
        }

        @Override
        public synchronized void nodeGone(String nodeId) {
            awaiting.remove(nodeId);
            completeIfDone();
        }

        private boolean completeIfDone() {
            if (awaiting.isEmpty()) {
                result.complete(connections);
                return true;
            }
            return false;
        }

        @Override
        public synchronized void timeout() {
            result.complete(connections);
        }
    }

    private static final class EmulationPending implements Pending {
        final CompletableFuture<String> result = new CompletableFuture<>();

        @Override
        public boolean reply(String from, ControlMessage m) {
            return result.complete(m.outcome());
        }

        @Override
        public void nodeGone(String nodeId) {
        }

        @Override
        public void timeout() {
            result.complete("UNKNOWN_NODE");
        }
    }
}
