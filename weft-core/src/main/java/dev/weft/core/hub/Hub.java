package dev.weft.core.hub;

import dev.weft.core.broker.Broker;
import dev.weft.core.client.ClientSession;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's connections: by client id, by user, and subscribers by channel. It tells the broker when the
 * node gains its first or loses its last subscriber of a channel, and fans out what the broker delivers,
 * encoding each push once per protocol format.
 *
 * <p>Thread-safe: maps are concurrent; subscribe/unsubscribe of one channel (and the broker call they may
 * make) are serialised by a striped lock so the broker's interest never disagrees with the hub's.
 * {@link #addSession}/{@link #removeSession} only read a session's identity (ids, user, transport), never take
 * its lock, so a session calls them holding its own lock. What a session registered here it removes itself,
 * when it is released ({@link ClientSession#released()}).
 */
public final class Hub {
    private static final int LOCK_STRIPES = 64;

    private final Broker broker;
    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    /** Sessions of emulated transports by their secret session id (not the client id). */
    private final ConcurrentHashMap<String, ClientSession> emulationSessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    /** Per channel, the subscriptions themselves, so delivery goes straight to them. */
    private final ConcurrentHashMap<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ReentrantLock[] channelLocks = new ReentrantLock[LOCK_STRIPES];

    public Hub(Broker broker) {
        this.broker = broker;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            channelLocks[i] = new ReentrantLock();
        }
    }

    public void addSession(ClientSession session) {
        addSession(session, 0);
    }

    /**
     * Adds a session unless its user already holds {@code userLimit} sessions on this node (0 = no limit;
     * anonymous sessions, user "", are never limited). Check and add are one atomic step, so connections
     * racing in for the same user cannot exceed the limit.
     *
     * @return false, adding nothing, when the user is at the limit
     */
    public boolean addSession(ClientSession session, int userLimit) {
        boolean limited = userLimit > 0 && !session.userId().isEmpty();
        boolean[] added = {true};
        byUser.compute(session.userId(), (u, set) -> {
            Set<ClientSession> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (limited && s.size() >= userLimit) {
                added[0] = false;
            } else {
                s.add(session);
            }
            return s.isEmpty() ? null : s;
        });
        if (added[0]) {
            sessions.put(session.clientId(), session);
            if (session.transport().emulation()) {
                emulationSessions.put(session.sessionId(), session);
            }
        }
        return added[0];
    }

    public void removeSession(ClientSession session) {
        sessions.remove(session.clientId(), session);
        if (session.transport().emulation()) {
            emulationSessions.remove(session.sessionId(), session);
        }
        byUser.computeIfPresent(session.userId(), (u, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    public int sessionCount() {
        return sessions.size();
    }

    public Collection<ClientSession> sessions() {
        return List.copyOf(sessions.values());
    }

    public int userSessionCount(String user) {
        Set<ClientSession> set = byUser.get(user);
        return set == null ? 0 : set.size();
    }

    public ClientSession session(String clientId) {
        return sessions.get(clientId);
    }

    /**
     * The connected session of an emulated transport with this session id (see
     * {@link ClientSession#sessionId()}), or null. Only emulated sessions are found: a unidirectional
     * session must never take commands.
     */
    public ClientSession emulationSession(String sessionId) {
        return emulationSessions.get(sessionId);
    }

    public Collection<ClientSession> userSessions(String user) {
        Set<ClientSession> set = byUser.get(user);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** Adds a subscriber; the first one of the channel on this node subscribes the node at the broker. */
    public void addSubscriber(String channel, Subscriber subscriber) {
        ReentrantLock lock = lockFor(channel);
        lock.lock();
        try {
            boolean first = !subscribers.containsKey(channel);
            if (first) {
                broker.subscribe(channel);
            }
            subscribers.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(subscriber);
        } finally {
            lock.unlock();
        }
    }

    /** Removes a subscriber; the last one of the channel on this node unsubscribes the node at the broker. */
    public void removeSubscriber(String channel, Subscriber subscriber) {
        ReentrantLock lock = lockFor(channel);
        lock.lock();
        try {
            Set<Subscriber> set = subscribers.get(channel);
            if (set == null || !set.remove(subscriber)) {
                return;
            }
            if (set.isEmpty()) {
                subscribers.remove(channel);
                broker.unsubscribe(channel);
            }
        } finally {
            lock.unlock();
        }
    }

    public int subscriberCount(String channel) {
        Set<Subscriber> set = subscribers.get(channel);
        return set == null ? 0 : set.size();
    }

    public Set<String> channels() {
        return Set.copyOf(subscribers.keySet());
    }

    public void broadcastPublication(String channel, Publication publication, String epoch) {
        Set<Subscriber> set = subscribers.get(channel);
        if (set == null) {
            return;
        }
        EncodedPush encoded = new EncodedPush(new Push(channel, publication), epoch);
        for (Subscriber s : set) {
            s.deliverPublication(publication, epoch, encoded);
        }
    }

    public void broadcastJoin(String channel, ClientInfo info) {
        broadcastJoinLeave(channel, new EncodedPush(new Push(channel, new Join(info)), ""));
    }

    public void broadcastLeave(String channel, ClientInfo info) {
        broadcastJoinLeave(channel, new EncodedPush(new Push(channel, new Leave(info)), ""));
    }

    private void broadcastJoinLeave(String channel, EncodedPush encoded) {
        Set<Subscriber> set = subscribers.get(channel);
        if (set == null) {
            return;
        }
        for (Subscriber s : set) {
            s.deliverJoinLeave(encoded);
        }
    }

    private ReentrantLock lockFor(String channel) {
        return channelLocks[(channel.hashCode() & 0x7fffffff) % LOCK_STRIPES];
    }
}
