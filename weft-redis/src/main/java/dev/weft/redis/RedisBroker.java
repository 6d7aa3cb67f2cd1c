package dev.weft.redis;

import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.limits.LogThrottle;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.redis.internal.ConsistentHash;
import dev.weft.redis.internal.Keys;
import dev.weft.redis.internal.RedisCalls;
import dev.weft.redis.internal.RedisConnector;
import dev.weft.redis.internal.Script;
import dev.weft.redis.internal.Shard;
import dev.weft.redis.internal.Wire;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Broker} over one or more Redis servers or Redis Clusters (channels spread by {@link ConsistentHash}),
 * so every Weft node sharing them sees the same streams and gets every publication.
 *
 * <ul>
 *   <li><b>Publish</b> is one Lua script ({@code publish.lua}), atomic in Redis: check the idempotency key,
 *       start the stream if it has no meta, bump the offset in the meta hash, {@code XADD … MAXLEN} to the
 *       channel's Redis Stream, set the expiries, remember the idempotent result for its TTL, then
 *       {@code PUBLISH} (in a cluster {@code SPUBLISH}) the publication with its offset and epoch. So a publication
 *       is in history before any
 *       node receives it, and offsets are handed out in the order Redis ran the scripts.
 *   <li><b>Epochs</b>: see {@code epoch.lua}. A channel without a stream keeps nothing in Redis: its epoch is
 *       derived from its partition's seed and its name, or noted when its previous stream started, whatever the
 *       time. Lost meta (Redis restarted
 *       without persistence, meta TTL, {@link #removeHistory}) means a new epoch.
 *   <li><b>History</b> expiry is per entry: each stream entry carries its expiry and reads skip expired ones;
 *       the Stream key itself expires {@code historyTtl} after the last publish.
 *   <li><b>Delivery</b>: one pub/sub connection per server or cluster. Redis delivers one channel's messages in the
 *       order
 *       it ran the publishes, on one connection, and Lettuce hands them to the {@link BrokerEventHandler} on that
 *       connection's I/O thread one at a time, so per channel they arrive serially and in offset order. The
 *       handler must not block (its contract says so).
 *   <li><b>Failures</b>: commands fail while Redis is unreachable or slower than {@code io_timeout} —
 *       {@link #publish} throws {@link dev.weft.core.broker.BrokerUnavailableException}, it never succeeds
 *       silently nor queues without bound (see {@link RedisConnector}); {@link #unsubscribe} does not fail
 *       for an outage. Connections come back by themselves and the pub/sub connection resubscribes
 *       every channel this node wants. Publications made while this node was cut off are in history; sessions
 *       see the gap in offsets (or the new epoch) on the next publication and recover from history; until one
 *       comes they are not told (there is no periodic position check yet).
 * </ul>
 *
 * <p>Thread-safe. {@link #subscribed} and {@link #strays} are concurrent sets; subscribe and unsubscribe of
 * one channel (also the cleanup of strays) are serialized by one of {@link #stripes}, so Redis sees them in
 * the order this node decided them. The handler is volatile.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    /**
     * How long a channel's next-epoch note outlives its stream meta (see {@code epoch.lua}): a client must stay
     * away this long after the meta expired before the channel's first epoch could be handed out again.
     */
    static final Duration NOTE_GRACE = Duration.ofDays(30);
    private static final int STRIPES = 64;
    private static final LogThrottle UNSUBSCRIBE_LOG = new LogThrottle(Duration.ofSeconds(1));

    private final Keys keys;
    private final ClientResources resources;
    private final List<Shard> shards;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final SecureRandom random = new SecureRandom();
    private final byte[] noteGraceMillis;
    private volatile BrokerEventHandler handler;
    /** Channels Redis sent messages for that this node does not want; emptied by {@link #forgetStrays}. */
    private final Set<String> strays = ConcurrentHashMap.newKeySet();
    /** Runs {@link #forgetStrays}: it takes stripe locks and waits for Redis, which the I/O thread must not. */
    private final ExecutorService cleanup = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("weft-redis-unsubscribe").factory());

    /**
     * Connects to every configured Redis server or cluster (a command and a pub/sub connection each).
     *
     * @throws io.lettuce.core.RedisConnectionException if a Redis cannot be reached
     */
    public RedisBroker(RedisEngineConfig config) {
        this.keys = new Keys(config.prefix());
        this.resources = RedisConnector.resources();
        this.noteGraceMillis = millis(NOTE_GRACE);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        try {
            this.shards = List.copyOf(RedisConnector.shards(config, resources, this::dispatch));
        } catch (RuntimeException e) {
            resources.shutdown();
            throw e;
        }
    }

    @Override
    public void setEventHandler(BrokerEventHandler handler) {
        this.handler = handler;
    }

    @Override
    public void subscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        underStripe(channel, () -> {
            subscribed.add(channel);
            try {
                RedisCalls.run("subscribe", () -> shard(channel).subscribe(keys.pubSub(channel)));
            } catch (RuntimeException e) {
                subscribed.remove(channel);
                throw e;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Never fails for an outage: the channel stops being delivered here at once, and if Redis could not be
     * told, the first message it still sends for the channel has it unsubscribed then ({@link #forgetStrays}).
     */
    @Override
    public void unsubscribe(String channel) {
        Objects.requireNonNull(channel, "channel");
        try {
            underStripe(channel, () -> {
                // Stop delivering first: whatever is still on its way for the channel is dropped.
                subscribed.remove(channel);
                RedisCalls.run("unsubscribe", () -> shard(channel).unsubscribe(keys.pubSub(channel)));
            });
        } catch (BrokerUnavailableException e) {
            long left = UNSUBSCRIBE_LOG.admit();
            if (left >= 0) {
                log.warn("Could not unsubscribe from Redis; will when its next message comes ({} more such "
                        + "failures not logged): {}", left, e.getMessage());
            }
        }
    }

    @Override
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        String key = options.idempotencyKey();
        boolean history = options.keepsHistory();
        byte[][] scriptKeys = {keys.meta(channel), keys.stream(channel), keys.nextEpoch(channel),
                keys.seed(channel), keys.idempotency(channel, key)};
        Shard shard = shard(channel);
        List<Object> reply = RedisCalls.call("publish", () -> Script.PUBLISH.run(shard.commands(), scriptKeys,
                Wire.body(data, options.info(), options.tags()),
                ascii(history ? Integer.toString(options.historySize()) : "0"),
                millis(options.historyTtl()),
                millis(options.historyMetaTtl()),
                key.isEmpty() ? ascii("0") : millis(options.idempotentResultTtl()),
                ascii(newEpoch()), ascii(newEpoch()),
                keys.pubSub(channel),
                noteGraceMillis,
                ascii(newSeed()),
                channel.getBytes(StandardCharsets.UTF_8),
                ascii(shard.publishCommand()),
                new byte[] {Wire.publicationKind(options.delta())}));
        boolean suppressed = (Long) reply.get(0) == 1L;
        StreamPosition position = new StreamPosition(Long.parseUnsignedLong(text(reply.get(1))), text(reply.get(2)));
        return new PublishOutcome(position, suppressed);
    }

    @Override
    public void publishJoin(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        byte[] message = Wire.presenceEvent(Wire.JOIN, info);
        RedisCalls.run("join", () -> shard(channel).publish(keys.pubSub(channel), message));
    }

    @Override
    public void publishLeave(String channel, ClientInfo info) {
        Objects.requireNonNull(info, "info");
        byte[] message = Wire.presenceEvent(Wire.LEAVE, info);
        RedisCalls.run("leave", () -> shard(channel).publish(keys.pubSub(channel), message));
    }

    @Override
    public HistoryPage history(String channel, HistoryFilter filter) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(filter, "filter");
        byte[][] scriptKeys = {keys.meta(channel), keys.stream(channel), keys.nextEpoch(channel), keys.seed(channel)};
        List<Object> reply = RedisCalls.call("history", () -> Script.HISTORY.run(shard(channel).commands(), scriptKeys,
                ascii(filter.since() == null ? "" : Long.toUnsignedString(filter.since().offset())),
                ascii(Integer.toString(Math.max(-1, filter.limit()))),
                ascii(filter.reverse() ? "1" : "0"),
                millis(filter.metaTtl()),
                noteGraceMillis,
                ascii(newSeed()),
                channel.getBytes(StandardCharsets.UTF_8)));
        StreamPosition position = new StreamPosition(Long.parseUnsignedLong(text(reply.get(0))), text(reply.get(1)));
        List<Publication> publications = new ArrayList<>((reply.size() - 2) / 2);
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            publications.add(Wire.publication((byte[]) reply.get(i + 1), Long.parseUnsignedLong(text(reply.get(i)))));
        }
        return new HistoryPage(publications, position);
    }

    @Override
    public void removeHistory(String channel) {
        Objects.requireNonNull(channel, "channel");
        // The next-epoch note stays: it is what the channel's next stream gets.
        byte[][] stream = {keys.meta(channel), keys.stream(channel)};
        RedisCalls.call("remove history", () -> shard(channel).commands().del(stream));
    }

    /** A Redis whose command or pub/sub connection is down; Redis frozen with connections open goes unseen. */
    @Override
    public String unavailableReason() {
        long down = shards.stream().filter(shard -> !shard.connected()).count();
        return down == 0 ? null : "Redis unreachable (" + down + " of " + shards.size() + " disconnected)";
    }

    /** Closes every connection; nothing is delivered afterwards. */
    @Override
    public void close() {
        cleanup.shutdownNow();
        shards.forEach(Shard::close);
        resources.shutdown();
    }

    /** The Redis a channel lives on. */
    private Shard shard(String channel) {
        return shards.get(ConsistentHash.index(channel, shards.size()));
    }

    /** Runs {@code action} holding the channel's stripe lock, which orders its subscribes and unsubscribes. */
    private void underStripe(String channel, Runnable action) {
        ReentrantLock lock = stripes[Math.floorMod(channel.hashCode(), STRIPES)];
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Handles one pub/sub message; runs on the connection's I/O thread. */
    private void dispatch(byte[] redisChannel, byte[] message) {
        BrokerEventHandler h = handler;
        String channel = keys.channelOf(redisChannel);
        if (h == null || channel == null || message.length == 0) {
            return;
        }
        if (!subscribed.contains(channel)) {
            // In flight during an unsubscribe, or Redis still has a subscription this node gave up.
            if (strays.add(channel) && strays.size() == 1) {
                cleanup.execute(this::forgetStrays);
            }
            return;
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(message, 1, message.length - 1);
            switch (message[0]) {
                case Wire.PUBLICATION, Wire.DELTA_PUBLICATION -> {
                    long offset = Long.parseUnsignedLong(readUntilColon(in));
                    String epoch = readUntilColon(in);
                    h.handlePublication(channel, Wire.publication(in, offset), epoch,
                            message[0] == Wire.DELTA_PUBLICATION);
                }
                case Wire.JOIN -> h.handleJoin(channel, Wire.info(in));
                case Wire.LEAVE -> h.handleLeave(channel, Wire.info(in));
                default -> log.warn("Ignoring a Redis message of unknown kind {} on channel {}", message[0], channel);
            }
        } catch (RuntimeException e) {
            log.warn("Broker event handling failed for channel {}", channel, e);
        }
    }

    /**
     * Unsubscribes, at Redis, channels it sent messages for although this node no longer wants them; runs on
     * {@link #cleanup}, off the I/O thread. A channel subscribed again meanwhile is left alone.
     */
    private void forgetStrays() {
        for (String channel : strays) {
            strays.remove(channel);
            try {
                underStripe(channel, () -> {
                    if (!subscribed.contains(channel)) {
                        RedisCalls.run("unsubscribe", () -> shard(channel).unsubscribe(keys.pubSub(channel)));
                    }
                });
            } catch (RuntimeException e) {
                log.debug("Could not unsubscribe stray channel {}: {}", channel, e.getMessage());
            }
        }
    }

    private static String readUntilColon(ByteBuffer in) {
        int start = in.position();
        while (in.get() != ':') {
            // scan
        }
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.US_ASCII);
    }

    private String newEpoch() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private String newSeed() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] millis(Duration duration) {
        long ms;
        try {
            ms = duration.isPositive() ? Math.max(1, duration.toMillis()) : 0;
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE / 2;
        }
        return ascii(Long.toString(ms));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
}
