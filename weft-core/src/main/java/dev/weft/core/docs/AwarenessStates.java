package dev.weft.core.docs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The awareness states of one room (cursors, user names), kept the way y-protocols' {@code Awareness} keeps
 * them: the latest state and clock per client ID, applied with its rule (a higher clock wins; at equal clock a
 * removal wins), plus which peer announced which client IDs, so that a peer's states can be removed for the
 * others when it leaves. States are opaque JSON strings: the server never interprets them, but checks that each
 * is one JSON value, since every peer {@code JSON.parse}s the states it is sent and one that does not parse
 * would break the awareness of the whole room (and of every later joiner, who is sent the kept states).
 *
 * <p>Encoding (y-protocols {@code encodeAwarenessUpdate}): varUint count, then per entry varUint clientID,
 * varUint clock, varString state JSON ({@code "null"} = removed).
 *
 * <p>Not thread-safe: owned by its room's serial execution.
 */
final class AwarenessStates {
    /** Clocks of removed clients are kept to refuse stale updates; past this many they are forgotten. */
    static final int MAX_REMOVED_REMEMBERED = 10_000;
    private static final String REMOVED = "null";
    private static final JsonFactory JSON = new JsonFactory();

    /** One entry of an awareness update. */
    record Entry(long clientId, long clock, String state) {
        boolean removed() {
            return REMOVED.equals(state);
        }
    }

    /** Who announced client IDs: a {@link DocumentPeer} of this node, or a {@link RemoteNode}. */
    private record Known(long clock, String state, Object owner) {
    }

    private final Map<Long, Known> clients = new LinkedHashMap<>();
    private int removedRemembered;

    /** Decodes an awareness update. */
    static List<Entry> decode(byte[] update) throws YjsFormatException {
        Lib0Reader in = new Lib0Reader(update);
        int count = in.readLength();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = in.position();
            Entry entry = new Entry(in.readVarUint(), in.readVarUint(), in.readVarString());
            checkJson(entry.state(), start);
            entries.add(entry);
        }
        if (in.hasRemaining()) {
            throw new YjsFormatException("bytes after the awareness update", in.position());
        }
        return entries;
    }

    /** One JSON value, nothing after it; Jackson's default limits (nesting 1 000) bound the work. */
    private static void checkJson(String state, int offset) throws YjsFormatException {
        try (JsonParser parser = JSON.createParser(state)) {
            if (parser.nextToken() == null) {
                throw new YjsFormatException("awareness state is empty", offset);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new YjsFormatException("awareness state holds more than one JSON value", offset);
            }
        } catch (IOException e) {
            throw new YjsFormatException("awareness state is not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), offset);
        }
    }

    static byte[] encode(List<Entry> entries) {
        Lib0Writer out = new Lib0Writer();
        out.writeVarUint(entries.size());
        for (Entry e : entries) {
            out.writeVarUint(e.clientId()).writeVarUint(e.clock()).writeVarString(e.state());
        }
        return out.toByteArray();
    }

    /** The peers of another node of the cluster, as the owner of the states relayed from it. */
    record RemoteNode(String nodeId) {
    }

    /**
     * Applies entries {@code from} (a peer, or a {@link RemoteNode}) sent; returns true when any was newer than what the room knew (then the
     * update is worth relaying).
     */
    boolean apply(List<Entry> entries, Object from) {
        boolean changed = false;
        for (Entry e : entries) {
            Known known = clients.get(e.clientId());
            long clock = known == null ? 0 : known.clock();
            boolean present = known != null && !REMOVED.equals(known.state());
            if (clock < e.clock() || (clock == e.clock() && e.removed() && present)) {
                if (e.removed()) {
                    removedRemembered++;
                }
                clients.put(e.clientId(), new Known(e.clock(), e.state(), e.removed() ? null : from));
                changed = true;
            }
        }
        if (removedRemembered > MAX_REMOVED_REMEMBERED) {
            clients.values().removeIf(k -> REMOVED.equals(k.state()));
            removedRemembered = 0;
        }
        return changed;
    }

    /** Every present state, encoded; null when there is none. */
    byte[] snapshot() {
        List<Entry> present = new ArrayList<>();
        clients.forEach((id, k) -> {
            if (!REMOVED.equals(k.state())) {
                present.add(new Entry(id, k.clock(), k.state()));
            }
        });
        return present.isEmpty() ? null : encode(present);
    }

    /**
     * Removes the states {@code owner} (a peer, or a {@link RemoteNode}) announced (clock + 1, state null, as y-protocols'
     * {@code removeAwarenessStates}) and returns that removal encoded, or null when it owned none.
     */
    byte[] removeOwnedBy(Object owner) {
        List<Entry> removals = new ArrayList<>();
        Map<Long, Known> updated = new HashMap<>();
        clients.forEach((id, k) -> {
            if (owner.equals(k.owner())) {
                removals.add(new Entry(id, k.clock() + 1, REMOVED));
                updated.put(id, new Known(k.clock() + 1, REMOVED, null));
            }
        });
        clients.putAll(updated);
        removedRemembered += removals.size();
        return removals.isEmpty() ? null : encode(removals);
    }

    /** Client IDs with a present state (tests, logs). */
    int presentCount() {
        return (int) clients.values().stream().filter(k -> !REMOVED.equals(k.state())).count();
    }
}
