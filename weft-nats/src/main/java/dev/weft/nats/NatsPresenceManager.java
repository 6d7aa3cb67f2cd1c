package dev.weft.nats;

import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.presence.PresenceManager;
import dev.weft.protocol.model.ClientInfo;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Presence in a JetStream KV bucket ({@code <PREFIX>_PRESENCE}), one entry per channel and client:
 * key {@code <channel token>.<client token>}, value the client's info, the entry's expiry, the id of the node
 * holding the connection and the channel name ({@link #removeNodePresence} drops a gone node's entries).
 *
 * <p>Why KV and not Redis: a NATS deployment then needs nothing else, the bucket is replicated and persisted
 * like the history, and presence of one channel is read with a single watch over {@code <channel token>.>}
 * (JetStream delivers the latest value per key and says when it has sent them all).
 *
 * <p>nats-server 2.9 has no per-key TTL, so each value carries its own expiry and reads leave out expired
 * entries; the bucket's max age (refreshed by every {@link #addPresence}) physically drops entries of clients
 * that vanished. A presence TTL longer than the bucket's max age is cut to it.
 */
public final class NatsPresenceManager implements PresenceManager {

    /** Longest an entry outlives its last refresh in the bucket; far above any sane presence TTL. */
    static final Duration BUCKET_MAX_AGE = Duration.ofHours(1);

    private final KeyValue kv;
    private final Duration timeout;

    NatsPresenceManager(KeyValue kv, Duration timeout) {
        this.kv = kv;
        this.timeout = timeout;
    }

    @Override
    public Map<String, ClientInfo> presence(String channel) {
        Objects.requireNonNull(channel, "channel");
        long now = System.currentTimeMillis();
        Map<String, ClientInfo> out = new LinkedHashMap<>();
        for (KeyValueEntry entry : entries(channel)) {
            Entry value = decode(entry.getValue());
            if (value != null && value.expiresAt() > now) {
                out.put(value.clientId(), value.info());
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public void addPresence(String channel, String clientId, ClientInfo info, Duration ttl) {
        addPresence(channel, clientId, info, ttl, "");
    }

    @Override
    public void addPresence(String channel, String clientId, ClientInfo info, Duration ttl, String node) {
        PresenceManager.checkAddPresence(channel, clientId, info, ttl);
        Duration kept = ttl.compareTo(BUCKET_MAX_AGE) > 0 ? BUCKET_MAX_AGE : ttl;
        long expiresAt = System.currentTimeMillis() + kept.toMillis();
        try {
            kv.put(key(channel, clientId), encode(new Entry(clientId, info, expiresAt, node == null ? "" : node,
                    channel)));
        } catch (JetStreamApiException e) {
            throw new NatsEngineException("NATS refused presence in " + channel + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not store presence in " + channel + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void removePresence(String channel, String clientId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        try {
            kv.purge(key(channel, clientId));
        } catch (JetStreamApiException e) {
            throw new NatsEngineException("NATS refused to remove presence in " + channel + ": " + e.getMessage(), e);
        } catch (IOException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not remove presence in " + channel + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Scans the whole bucket (a node is gone: rare, and the bucket holds only live presence) and purges the
     * entries {@code node} owns. Purging a purged key is harmless, so every surviving node may do it.
     */
    @Override
    public Map<String, List<ClientInfo>> removeNodePresence(String node) {
        Objects.requireNonNull(node, "node");
        Map<String, List<ClientInfo>> removed = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return removed;
        }
        for (KeyValueEntry entry : watchLatest(">", "all channels")) {
            Entry value = decode(entry.getValue());
            if (value == null || !value.node().equals(node)) {
                continue;
            }
            try {
                kv.purge(entry.getKey());
            } catch (JetStreamApiException e) {
                throw new NatsEngineException("NATS refused to remove presence of node " + node + ": "
                        + e.getMessage(), e);
            } catch (IOException | IllegalStateException e) {
                throw new BrokerUnavailableException("could not remove presence of node " + node + ": " + e, e);
            }
            removed.computeIfAbsent(value.channel(), c -> new ArrayList<>()).add(value.info());
        }
        return removed;
    }

    /** The latest live value of every key of the channel, by one watch that ends when all were sent. */
    private Iterable<KeyValueEntry> entries(String channel) {
        return watchLatest(SubjectTokens.token(channel) + ".*", channel);
    }

    private Iterable<KeyValueEntry> watchLatest(String keys, String what) {
        Map<String, KeyValueEntry> latest = new LinkedHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        KeyValueWatcher watcher = new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                synchronized (latest) {
                    if (entry.getOperation() == KeyValueOperation.PUT) {
                        latest.put(entry.getKey(), entry);
                    } else {
                        latest.remove(entry.getKey());
                    }
                }
            }

            @Override
            public void endOfData() {
                done.complete(null);
            }
        };
        NatsKeyValueWatchSubscription watch = null;
        try {
            watch = kv.watch(keys, watcher, KeyValueWatchOption.IGNORE_DELETE);
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (JetStreamApiException e) {
            throw new NatsEngineException("NATS refused to read presence of " + what + ": " + e.getMessage(), e);
        } catch (IOException | ExecutionException | TimeoutException | IllegalStateException e) {
            throw new BrokerUnavailableException("could not read presence of " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatsEngineException("interrupted while reading presence of " + what, e);
        } finally {
            if (watch != null) {
                watch.unsubscribe();
            }
        }
        synchronized (latest) {
            return List.copyOf(latest.values());
        }
    }

    private static String key(String channel, String clientId) {
        return SubjectTokens.token(channel) + "." + SubjectTokens.token(clientId);
    }

    /** An entry's value; {@code node} (the owner) and {@code channel} follow the original fields, "" if absent. */
    private record Entry(String clientId, ClientInfo info, long expiresAt, String node, String channel) {
    }

    private static byte[] encode(Entry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        ClientInfo info = entry.info();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(entry.expiresAt());
            out.writeUTF(entry.clientId());
            out.writeUTF(info.user());
            out.writeUTF(info.client());
            NullableBytes.write(out, info.connInfo());
            NullableBytes.write(out, info.chanInfo());
            out.writeUTF(entry.node());
            out.writeUTF(entry.channel());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long expiresAt = in.readLong();
            String clientId = in.readUTF();
            ClientInfo info = new ClientInfo(in.readUTF(), in.readUTF(), NullableBytes.read(in),
                    NullableBytes.read(in));
            boolean owned = in.available() > 0; // entries written before owners were recorded have none
            String node = owned ? in.readUTF() : "";
            String channel = owned ? in.readUTF() : "";
            return new Entry(clientId, info, expiresAt, node, channel);
        } catch (IOException e) {
            return null; // not ours: ignore rather than fail the whole channel's presence
        }
    }
}
