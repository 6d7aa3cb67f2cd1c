package dev.weft.server.ai.reader;

import dev.weft.server.sse.SseEventFormat;
import dev.weft.server.stream.JsonObjects;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parts waiting for one reader, merged as they come: consecutive text (or reasoning) deltas of the same id
 * become one delta, so however long a reader waits it gets one event per run of text, not one per token.
 * Written out as UI message stream events ({@code id:} line with the last part's position, {@code data:}
 * the part). Not thread-safe: the transport guards it.
 */
final class PartBatch {
    private final List<Entry> entries = new ArrayList<>();
    private long bytes;

    /** One waiting part, or a run of merged deltas. */
    private static final class Entry {
        final AiPartFormat.Part first;
        AiPartFormat.Part last;
        StringBuilder merged;

        Entry(AiPartFormat.Part part) {
            this.first = part;
            this.last = part;
        }

        boolean merges(AiPartFormat.Part next) {
            return first.deltaId() != null && next.deltaId() != null && first.type().equals(next.type())
                    && first.deltaId().equals(next.deltaId());
        }

        void merge(AiPartFormat.Part next) {
            if (merged == null) {
                merged = new StringBuilder(first.delta());
            }
            merged.append(next.delta());
            last = next;
        }

        byte[] json() {
            if (merged == null) {
                return first.json();
            }
            String text = merged.toString();
            return JsonObjects.object(g -> {
                g.writeStringField("type", first.type());
                g.writeStringField("id", first.deltaId());
                g.writeStringField("delta", text);
            });
        }
    }

    void add(AiPartFormat.Part part) {
        Entry last = entries.isEmpty() ? null : entries.getLast();
        if (last != null && last.merges(part)) {
            last.merge(part);
        } else {
            entries.add(new Entry(part));
        }
        bytes += part.json().length;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Bytes of the parts waiting (as they came, before merging). */
    long bytes() {
        return bytes;
    }

    /** The waiting parts as events, and empties the batch; empty array when nothing waits. */
    byte[] drain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(bytes + 64L * entries.size(), 1 << 20));
        for (Entry e : entries) {
            out.writeBytes(event(e.last.offset() + ":" + e.last.epoch(), e.json()));
        }
        entries.clear();
        bytes = 0;
        return out.toByteArray();
    }

    /** One event: the id (a position to resume from) when given, then the data line. */
    static byte[] event(String id, byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 48);
        if (id != null) {
            out.writeBytes(("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(SseEventFormat.withoutLineBreaks(json));
        out.writeBytes(new byte[] {'\n', '\n'});
        return out.toByteArray();
    }
}
