package dev.weft.server.ai;

import dev.weft.core.Node;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;

import java.util.HashSet;
import java.util.Set;

/**
 * What a channel's history says about the streams in it: every part is one publication tagged with its
 * stream's id ({@link AiStreams#TAG_STREAM}) and generation, and the parts that change a stream's state also
 * with {@link AiStreams#TAG_PART} ({@code start}, {@code text-start}, {@code text-end}, {@code finish},
 * {@code error}, {@code abort}). So any node can tell a stream's state from the broker alone. Reads the
 * channel's whole history, newest first (bounded by the namespace's {@code history_size}). Stateless.
 */
final class StreamHistory {
    static final Set<String> ENDS = Set.of("finish", "error", "abort");

    private StreamHistory() {
    }

    /**
     * One stream as its parts in history describe it.
     *
     * @param start      position of its {@code start} part (the offset) in the channel's epoch
     * @param generation the highest generation among its parts
     * @param ended      how it ended ({@code finish}, {@code error}, {@code abort}), or null while open
     * @param size       bytes of its parts
     * @param openText   id of the text part the stream opened itself and has not closed, or null
     * @param texts      text parts the stream opened itself
     */
    record Found(StreamPosition start, long generation, String ended, long size, String openText, int texts) {
    }

    /** The stream {@code id} in history, or null when its {@code start} is not there (never, or expired). */
    static Found find(Node node, StreamIds.Id id) {
        HistoryPage page = read(node, id.channel());
        if (page == null) {
            return null;
        }
        String key = id.toString();
        long generation = 0;
        String ended = null;
        long size = 0;
        String openText = null;
        boolean textSeen = false;
        int texts = 0;
        for (Publication p : page.publications()) { // newest first
            if (!key.equals(p.tags().get(AiStreams.TAG_STREAM))) {
                continue;
            }
            size += p.data().length;
            generation = Math.max(generation, parseLong(p.tags().get(AiStreams.TAG_GENERATION)));
            String part = p.tags().getOrDefault(AiStreams.TAG_PART, "");
            if (ENDS.contains(part) && ended == null) {
                ended = part;
            } else if (part.equals("text-start")) {
                texts++;
                if (!textSeen) {
                    openText = p.tags().get(AiStreams.TAG_TEXT);
                }
                textSeen = true;
            } else if (part.equals("text-end")) {
                textSeen = true;
            } else if (part.equals("start")) {
                return new Found(new StreamPosition(p.offset(), page.position().epoch()), generation, ended, size,
                        openText, texts);
            }
        }
        return null;
    }

    /** The id of the newest stream in {@code channel} if it is still open, else null. */
    static String active(Node node, String channel) {
        HistoryPage page = read(node, channel);
        if (page == null) {
            return null;
        }
        Set<String> ended = new HashSet<>();
        for (Publication p : page.publications()) {
            String stream = p.tags().get(AiStreams.TAG_STREAM);
            String part = p.tags().getOrDefault(AiStreams.TAG_PART, "");
            if (stream == null) {
                continue;
            }
            if (ENDS.contains(part)) {
                ended.add(stream);
            } else if (part.equals("start")) {
                return ended.contains(stream) ? null : stream;
            }
        }
        return null;
    }

    /** Publications of a stream after {@code after} (exclusive) up to {@code limit}, oldest first. */
    static HistoryPage after(Node node, String channel, StreamPosition after, int limit) {
        return node.history(channel, after, limit, false);
    }

    private static HistoryPage read(Node node, String channel) {
        ChannelOptions options = node.rules().optionsFor(channel);
        if (!options.historyEnabled()) {
            return null;
        }
        return node.history(channel, null, options.historySize(), true);
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
