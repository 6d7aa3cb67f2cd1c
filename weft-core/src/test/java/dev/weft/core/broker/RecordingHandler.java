package dev.weft.core.broker;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BrokerEventHandler} that records every event per channel, in arrival order, and counts calls for
 * one channel that overlapped (the handler contract says they never do). Thread-safe: each channel's list is
 * guarded by itself.
 */
public final class RecordingHandler implements BrokerEventHandler {

    /**
     * What arrived: exactly one of {@code publication} (with {@code epoch} and the publisher's {@code delta}
     * flag) or {@code info} is set.
     */
    public record Event(Kind kind, Publication publication, String epoch, boolean delta, ClientInfo info) {
    }

    public enum Kind { PUBLICATION, JOIN, LEAVE }

    private final Map<String, List<Event>> events = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public void handlePublication(String channel, Publication publication, String epoch, boolean delta) {
        record(channel, new Event(Kind.PUBLICATION, publication, epoch, delta, null));
    }

    @Override
    public void handleJoin(String channel, ClientInfo info) {
        record(channel, new Event(Kind.JOIN, null, null, false, info));
    }

    @Override
    public void handleLeave(String channel, ClientInfo info) {
        record(channel, new Event(Kind.LEAVE, null, null, false, info));
    }

    /** Every event of a channel, in arrival order (a copy). */
    public List<Event> events(String channel) {
        List<Event> list = events.get(channel);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** The publications delivered for a channel, in arrival order. */
    public List<Publication> publications(String channel) {
        return events(channel).stream().filter(e -> e.kind() == Kind.PUBLICATION).map(Event::publication).toList();
    }

    /** How many times two calls for one channel ran at once. */
    public int overlaps() {
        return overlaps.get();
    }

    private void record(String channel, Event event) {
        AtomicInteger active = inFlight.computeIfAbsent(channel, c -> new AtomicInteger());
        if (active.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            Thread.yield(); // widens the window in which an overlapping call would be seen

            List<Event> list = events.computeIfAbsent(channel, c -> new ArrayList<>());
            synchronized (list) {
                list.add(event);
            }
        } finally {
            active.decrementAndGet();
        }
    }
}
