package dev.weft.core.hub;

import dev.weft.core.broker.Broker;
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
 * This node's connections (members): by client id, by user, and subscribers by channel. It tells the broker when the
 * node gains its first or loses its last subscriber of a channel, and fans out what the broker delivers,
 * encoding each push once per protocol format.
 *
 * <p>Thread-safe: maps are concurrent; subscribe/unsubscribe of one channel (and the broker call they may
 * make) are serialised by a striped lock so the broker's interest never disagrees with the hub's.
 * {@link #addMember}/{@link #removeMember} only read a member's identity ({@link HubMember}), never call into it
 * otherwise, so a session calls them holding its own lock. What a member registered here it removes itself.
 *
 * @param <M> the members; the hub reads only their {@link HubMember} identity and hands them back as they are
 */
public final class Hub<M extends HubMember> {
    private static final int LOCK_STRIPES = 64;

    private final Broker broker;
    private final ConcurrentHashMap<String, M> members = new ConcurrentHashMap<>();
    /** Emulated members by their secret session id (not the client id). */
    private final ConcurrentHashMap<String, M> emulated = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<M>> byUser = new ConcurrentHashMap<>();
    /** Per channel, the subscriptions themselves, so delivery goes straight to them. */
    private final ConcurrentHashMap<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ReentrantLock[] channelLocks = new ReentrantLock[LOCK_STRIPES];

    public Hub(Broker broker) {
        this.broker = broker;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            channelLocks[i] = new ReentrantLock();
        }
    }

    public void addMember(M member) {
        addMember(member, 0);
    }

    /**
     * Adds a member unless its user already has {@code userLimit} members on this node (0 = no limit;
     * anonymous members, user "", are never limited). Check and add are one atomic step, so connections
     * racing in for the same user cannot exceed the limit.
     *
     * @return false, adding nothing, when the user is at the limit
     */
    public boolean addMember(M member, int userLimit) {
        boolean limited = userLimit > 0 && !member.userId().isEmpty();
        boolean[] added = {true};
        byUser.compute(member.userId(), (u, set) -> {
            Set<M> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (limited && s.size() >= userLimit) {
                added[0] = false;
            } else {
                s.add(member);
            }
            return s.isEmpty() ? null : s;
        });
        if (added[0]) {
            members.put(member.clientId(), member);
            if (member.emulated()) {
                emulated.put(member.sessionId(), member);
            }
        }
        return added[0];
    }

    public void removeMember(M member) {
        members.remove(member.clientId(), member);
        if (member.emulated()) {
            emulated.remove(member.sessionId(), member);
        }
        byUser.computeIfPresent(member.userId(), (u, set) -> {
            set.remove(member);
            return set.isEmpty() ? null : set;
        });
    }

    public int memberCount() {
        return members.size();
    }

    public Collection<M> members() {
        return List.copyOf(members.values());
    }

    /** Users with at least one member; anonymous members count as the one user "". */
    public int userCount() {
        return byUser.size();
    }

    public int userMemberCount(String user) {
        Set<M> set = byUser.get(user);
        return set == null ? 0 : set.size();
    }

    public M member(String clientId) {
        return members.get(clientId);
    }

    /**
     * The emulated member with this session id ({@link HubMember#sessionId()}), or null. Only emulated members
     * are found: a unidirectional connection also has a session id but must never take commands.
     */
    public M emulatedMember(String sessionId) {
        return emulated.get(sessionId);
    }

    public Collection<M> userMembers(String user) {
        Set<M> set = byUser.get(user);
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

    /**
     * @param delta the publisher asked for delta compression: subscribers that negotiated it get a delta,
     *              others (and every subscriber of a publication without the flag) the whole data
     */
    public void broadcastPublication(String channel, Publication publication, String epoch, boolean delta) {
        Set<Subscriber> set = subscribers.get(channel);
        if (set == null) {
            return;
        }
        EncodedPush encoded = new EncodedPush(new Push(channel, publication), epoch, delta);
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
