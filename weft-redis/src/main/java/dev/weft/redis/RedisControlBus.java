package dev.weft.redis;

import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlEnvelope;
import dev.weft.core.limits.LogThrottle;
import dev.weft.redis.internal.RedisCalls;
import dev.weft.redis.internal.RedisConnector;
import dev.weft.redis.internal.Shard;
import io.lettuce.core.Range;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The control bus over Redis pub/sub: broadcasts on {@code <prefix>:control}, messages for one node on
 * {@code <prefix>:node:<id>}, on the first configured server (or cluster) — control traffic is small, and
 * every node uses the same one. Each message is a {@link ControlEnvelope} (sender id, then the bytes).
 *
 * <p>Lettuce's publish is a blocking call, so sends go into a bounded queue ({@link #SEND_QUEUE}) that one
 * virtual thread drains in order: the caller (possibly a network event loop) never waits for Redis. A full
 * queue or a failed publish drops the message with a rate-limited log line — the control plane times
 * requests out and repeats heartbeats. Revocations are also stored, synchronously, for nodes that join later
 * ({@link #storeRevocation}). Thread-safe.
 */
public final class RedisControlBus implements ControlBus {
    private static final Logger log = LoggerFactory.getLogger(RedisControlBus.class);
    static final int SEND_QUEUE = 10_000;

    private record Outgoing(byte[] channel, byte[] message) {
    }

    private final RedisEngineConfig config;
    private final BlockingQueue<Outgoing> outgoing = new ArrayBlockingQueue<>(SEND_QUEUE);
    private final LogThrottle dropLog = new LogThrottle(Duration.ofSeconds(10));
    private volatile ClientResources resources;
    private volatile Shard shard;
    private volatile Thread sender;
    private volatile String nodeId;

    public RedisControlBus(RedisEngineConfig config) {
        this.config = config;
    }

    private byte[] broadcastChannel() {
        return (config.prefix() + ":control").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] nodeChannel(String id) {
        return (config.prefix() + ":node:" + id).getBytes(StandardCharsets.UTF_8);
    }

    /** Connects and subscribes; the pub/sub connection resubscribes by itself after a reconnect. */
    @Override
    public void start(String id, Receiver receiver) {
        this.nodeId = id;
        resources = RedisConnector.resources();
        List<Shard> shards;
        try {
            shards = RedisConnector.shards(config, resources, (channel, bytes) -> {
                ControlEnvelope envelope;
                try {
                    envelope = ControlEnvelope.decode(bytes);
                } catch (IllegalArgumentException e) {
                    drop("a malformed control message", e);
                    return;
                }
                if (!envelope.sender().equals(id)) {
                    receiver.receive(envelope.sender(), envelope.message());
                }
            });
        } catch (RuntimeException e) {
            resources.shutdown();
            throw e;
        }
        shards.subList(1, shards.size()).forEach(Shard::close);
        shard = shards.get(0);
        shard.subscribe(broadcastChannel());
        shard.subscribe(nodeChannel(id));
        sender = Thread.ofVirtual().name("weft-redis-control-" + id).start(this::sendLoop);
    }

    @Override
    public void broadcast(byte[] message) {
        enqueue(broadcastChannel(), message);
    }

    @Override
    public void send(String target, byte[] message) {
        enqueue(nodeChannel(target), message);
    }

    /** A PING within {@code io_timeout}. */
    @Override
    public void requireReachable() {
        RedisCalls.run("control", () -> shard.commands().ping());
    }

    /**
     * In one sorted set, {@code <prefix>:revocations}, scored by expiry: one key, so one cluster slot, and
     * whatever expired is dropped whenever one is added.
     */
    @Override
    public void storeRevocation(byte[] message, long expireAt) {
        RedisCalls.run("store a revocation", () -> {
            shard.commands().zadd(revocationsKey(), expireAt, message);
            shard.commands().zremrangebyscore(revocationsKey(), Range.create(0L, System.currentTimeMillis() / 1000));
        });
    }

    @Override
    public List<byte[]> revocations() {
        long now = System.currentTimeMillis() / 1000;
        return RedisCalls.call("load revocations", () -> shard.commands().zrangebyscore(revocationsKey(),
                Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded())));
    }

    private byte[] revocationsKey() {
        return (config.prefix() + ":revocations").getBytes(StandardCharsets.UTF_8);
    }

    private void enqueue(byte[] channel, byte[] message) {
        if (!outgoing.offer(new Outgoing(channel, new ControlEnvelope(nodeId, message).encode()))) {
            drop("a control message (send queue full)", null);
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                Outgoing next = outgoing.take();
                try {
                    shard.publish(next.channel(), next.message());
                } catch (RuntimeException e) {
                    drop("a control message to " + new String(next.channel(), StandardCharsets.UTF_8), e);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void drop(String what, Exception cause) {
        long left = dropLog.admit();
        if (left >= 0) {
            log.warn("dropping {} ({} more not logged){}", what, left, cause == null ? "" : ": " + cause);
        }
    }

    /** Sends what is queued (the goodbye among it) for up to a second, then disconnects. */
    @Override
    public void close() {
        Thread t = sender;
        if (t == null) {
            return;
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (!outgoing.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        t.interrupt();
        shard.close();
        resources.shutdown();
    }
}
