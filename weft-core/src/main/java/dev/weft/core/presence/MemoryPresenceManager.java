package dev.weft.core.presence;

import dev.weft.protocol.model.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PresenceManager} for a single node: channel → (client id → info and expiry), in this process's
 * heap. Expiry is judged against the {@link Clock} given to the constructor, so tests can move time without
 * sleeping. Expired entries are never returned nor counted; they are dropped lazily on access and by a sweep
 * that runs every second on one daemon thread (stopped by {@link #close()}). A channel with no entries left
 * is forgotten.
 *
 * <p>Thread-safe. {@link #channels} is a concurrent map; each inner map is a plain {@link HashMap} that is
 * only read or written inside {@code channels.compute…} for its key, which serializes access per channel
 * and makes "remove the channel when its last entry goes" atomic with a concurrent add.
 */
public final class MemoryPresenceManager implements PresenceManager {

    private static final Logger log = LoggerFactory.getLogger(MemoryPresenceManager.class);

    /** How often expired entries are swept away. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final ConcurrentHashMap<String, Map<String, Entry>> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** A presence manager on the system clock. */
    public MemoryPresenceManager() {
        this(Clock.systemUTC());
    }

    /** A presence manager that judges every expiry against {@code clock}. */
    public MemoryPresenceManager(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("weft-memory-presence-sweep").factory());
        long period = SWEEP_INTERVAL.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepSafely, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public Map<String, ClientInfo> presence(String channel) {
        Objects.requireNonNull(channel, "channel");
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        long now = clock.millis();
        channels.computeIfPresent(channel, (c, entries) -> {
            entries.values().removeIf(e -> e.expiresAt() <= now);
            entries.forEach((client, e) -> out.put(client, e.info()));
            return entries.isEmpty() ? null : entries;
        });
        return Map.copyOf(out);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    @Override
    public void addPresence(String channel, String clientId, ClientInfo info, Duration ttl) {
        PresenceManager.checkAddPresence(channel, clientId, info, ttl);
        Entry entry = new Entry(info, expiry(clock.millis(), ttl));
        channels.compute(channel, (c, entries) -> {
            Map<String, Entry> map = entries == null ? new HashMap<>() : entries;
            map.put(clientId, entry);
            return map;
        });
    }

    @Override
    public void removePresence(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        channels.computeIfPresent(channel, (c, entries) -> {
            entries.remove(clientId);
            return entries.isEmpty() ? null : entries;
        });
    }

    /** Stops the sweep. Presence keeps working; expired entries are then only dropped when touched. */
    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** Drops expired entries and empty channels; runs periodically, callable directly from tests. */
    void sweep() {
        long now = clock.millis();
        for (String channel : channels.keySet()) {
            channels.computeIfPresent(channel, (c, entries) -> {
                entries.values().removeIf(e -> e.expiresAt() <= now);
                return entries.isEmpty() ? null : entries;
            });
        }
    }

    /** Number of channels with entries in memory (for tests of the sweep). */
    int channelCount() {
        return channels.size();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("Memory presence sweep failed", e);
        }
    }

    /** {@code now + ttl} in millis, saturating at {@link Long#MAX_VALUE}. */
    private static long expiry(long now, Duration ttl) {
        long millis;
        try {
            millis = Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        long at = now + millis;
        return at < now ? Long.MAX_VALUE : at;
    }

    private record Entry(ClientInfo info, long expiresAt) {
    }
}
