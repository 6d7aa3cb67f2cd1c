package dev.weft.server.ai;

import dev.weft.core.Node;
import dev.weft.core.ServerPublish;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.control.Cluster;
import dev.weft.protocol.model.StreamPosition;
import dev.weft.server.ai.relay.RelayHandle;
import dev.weft.server.ai.relay.RelaySink;
import dev.weft.server.ai.relay.UpstreamRelays;
import dev.weft.server.config.AiStreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * AI token streams: a stream is a run of AI SDK UI message stream parts in a channel with history, one
 * publication per part (its data the part's JSON bytes), from its {@code start} to one end ({@code finish},
 * {@code error} or {@code abort}). Readers are the channel's subscribers (WebSocket, {@code /sse}) and the
 * {@code /ai/…} endpoints; this class is the producing side: create, append, finish, error, stop, relays.
 *
 * <p><b>State lives in the broker.</b> A stream's id names its channel ({@link StreamIds}); every part carries
 * tags with the stream id and generation, and state changes a part tag of their own ({@link StreamHistory}). A
 * node that has not seen a stream reads its state from the channel's history and keeps it while the stream is
 * open. Nodes tell each other of stops, ends and new generations over the cluster (frames of kind
 * {@link #FRAME_KIND}); a frame lost on the way costs nothing a reader sees, since readers stop at the first
 * end part, and the end part is published with an idempotency key per stream, so racing ends on two nodes leave
 * one.
 *
 * <p><b>One producer.</b> Re-creating a stream by its id hands it to a new producer: the generation goes up,
 * the old producer's relay is cancelled (on whichever node it runs), and calls that give an older generation are
 * refused.
 *
 * <p><b>Limits</b> ({@code ai.streams.*}): size (the part that would pass it ends the stream with an error),
 * duration (checked on the node that created the stream) and open streams per user (per node).
 *
 * <p>Thread-safe. Operations block on the broker: call them on virtual threads, never on an event loop.
 */
public final class AiStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AiStreams.class);

    /** Tag of every part: the stream id. */
    public static final String TAG_STREAM = "ai_stream";
    /** Tag of every part: the producer's generation. */
    public static final String TAG_GENERATION = "ai_gen";
    /** Tag of parts that change a stream's state: start, text-start, text-end, finish, error, abort. */
    public static final String TAG_PART = "ai_part";
    /** Tag of the text parts the stream opens itself: their id. */
    public static final String TAG_TEXT = "ai_text";
    /** First byte of the cluster frames of AI streams. */
    public static final byte FRAME_KIND = 'a';
    private static final byte STOP = 'S';
    private static final byte ENDED = 'E';
    private static final byte FENCE = 'G';
    /** Streams of other nodes remembered here at most (read from history again when needed). */
    private static final int MAX_REMEMBERED = 100_000;
    private static final Pattern CHAT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Node node;
    private final AiStreamsConfig config;
    private final UpstreamRelays relays;
    private final Cluster.FrameChannel peers;
    /** Open streams this node created or has read, by id. */
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    /** Open streams per user created on this node; guarded by itself. */
    private final Map<String, Integer> openByUser = new HashMap<>();

    /** What {@code create} made. */
    public record Created(String id, String channel, long generation) {
    }

    /** A stream's state after an operation: {@code open}, or how it ended. */
    public record Status(String id, String channel, long generation, String state) {
    }

    /**
     * Where a reader starts: the stream's channel and the position of its {@code start} part; {@code ended} when
     * its end part is in history already.
     */
    public record Located(String id, String channel, StreamPosition start, boolean ended) {
    }

    /**
     * What {@code POST /api/streams} asks for.
     *
     * @param channel  the channel, or null with {@code chatId} or {@code id}
     * @param chatId   a chat whose channel ({@code ai.streams.chat_channel}) the stream goes to, or null
     * @param id       an existing stream to take over (a new generation), or a new stream's id; null = random
     * @param user     on whose behalf (for {@code ai.streams.max_per_user}), or null
     * @param upstream the bytes of the {@code "upstream"} object for a relay, or null for backend push
     */
    public record CreateSpec(String channel, String chatId, String id, String user, byte[] upstream) {
    }

    public AiStreams(Node node, AiStreamsConfig config, UpstreamRelays relays) {
        this.node = node;
        this.config = config;
        this.relays = relays;
        this.peers = node.attachToCluster(FRAME_KIND, new Cluster.FrameListener() {
            @Override
            public void frame(String fromNode, byte[] frame) {
                receive(frame);
            }

            @Override
            public void nodeGone(String nodeId) {
                // a gone node's streams end by its duration limit on no node; readers see them until their TTL
            }
        });
    }

    public AiStreamsConfig config() {
        return config;
    }

    // ---- producing -----------------------------------------------------------------------------------

    public Created create(CreateSpec spec) {
        String channel = channelOf(spec);
        ChannelOptions options = node.rules().optionsFor(channel);
        if (!options.historyEnabled()) {
            throw new AiStreamException(AiStreamException.Kind.NOT_AVAILABLE, "channel '" + channel
                    + "' keeps no history: AI streams need a namespace with history_size and history_ttl");
        }
        StreamIds.Id id = spec.id() == null || spec.id().isEmpty() ? StreamIds.random(channel) : StreamIds.parse(spec.id());
        if (!id.channel().equals(channel)) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, "stream id " + id
                    + " is not in channel '" + channel + "'");
        }
        Stream existing = spec.id() == null ? null : lookup(id);
        if (existing != null) {
            return takeOver(existing, spec);
        }
        String user = spec.user() == null ? "" : spec.user();
        reserveUserSlot(user);
        Stream s = new Stream(id, 1, null, 0, null, 0);
        RelayHandle failed = null;
        s.lock.lock();
        try {
            s.owner = user;
            if (spec.upstream() != null) {
                s.relay = startRelay(s, spec.upstream(), user);
            }
            publish(s, UiParts.start(id.toString()), "start", null);
            streams.put(id.toString(), s);
            scheduleDeadline(s);
        } catch (RuntimeException e) {
            failed = detachRelay(s);
            releaseUserSlot(user);
            throw e;
        } finally {
            s.lock.unlock();
            cancel(failed);
        }
        log.debug("AI stream {} created (relay: {})", id, spec.upstream() != null);
        return new Created(id.toString(), channel, 1);
    }

    private Created takeOver(Stream s, CreateSpec spec) {
        String user = spec.user() == null ? "" : spec.user();
        RelayHandle old = null;
        s.lock.lock();
        try {
            requireOpen(s);
            if (s.owner == null) {
                reserveUserSlot(user);
                s.owner = user;
                scheduleDeadline(s);
            }
            old = detachRelay(s);
            s.generation++;
            broadcast(FENCE, s.generation, s.id);
            if (spec.upstream() != null) {
                s.relay = startRelay(s, spec.upstream(), user);
            }
            log.info("AI stream {} taken over: generation {}", s.id, s.generation);
            return new Created(s.id.toString(), s.id.channel(), s.generation);
        } finally {
            s.lock.unlock();
            cancel(old);
        }
    }

    private RelayHandle startRelay(Stream s, byte[] upstream, String user) {
        try {
            return relays.start(upstream, new Sink(s, s.generation));
        } catch (IllegalArgumentException e) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, "upstream: " + e.getMessage());
        } catch (IllegalStateException e) { // this node runs as many relays as it may
            throw new AiStreamException(AiStreamException.Kind.LIMIT, "upstream: " + e.getMessage());
        }
    }

    /**
     * Appends text to the stream's current text part (opening one first when there is none).
     *
     * @param generation the caller's generation, or 0 to skip the check
     */
    public Status appendText(String id, long generation, String text) {
        Stream s = require(id);
        s.lock.lock();
        try {
            checkProducer(s, generation);
            if (s.openText == null) {
                refreshText(s); // another node may have opened one
            }
            if (s.openText == null) {
                String textId = "text-" + s.texts;
                byte[] start = UiParts.textStart(textId);
                checkSize(s, start.length);
                publish(s, start, "text-start", textId);
                s.openText = textId;
                s.texts++;
            }
            byte[] delta = UiParts.textDelta(s.openText, text);
            checkSize(s, delta.length);
            publish(s, delta, null, null);
            return status(s);
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Appends one part as it is (its bytes are what readers get).
     *
     * @throws AiStreamException bad request when it is not a part object or is one of {@link UiParts#RESERVED}
     */
    public Status appendPart(String id, long generation, byte[] part) {
        Stream s = require(id);
        s.lock.lock();
        try {
            appendPartLocked(s, generation, part);
            return status(s);
        } finally {
            s.lock.unlock();
        }
    }

    private void appendPartLocked(Stream s, long generation, byte[] part) {
        checkProducer(s, generation);
        String type;
        try {
            type = UiParts.type(part);
        } catch (IllegalArgumentException e) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, e.getMessage());
        }
        if (UiParts.RESERVED.contains(type)) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, "a '" + type
                    + "' part is written by the stream itself: use finish, error or stop");
        }
        checkSize(s, part.length);
        if (type.equals("text-end") && s.openText != null) {
            // The caller closes texts itself from here on; the stream does not close it again at the end.
            publish(s, part, "text-end", s.openText);
            s.openText = null;
        } else {
            publish(s, part, null, null);
        }
    }

    /** Ends the stream with {@code finish}; an ended stream is left as it is. */
    public Status finish(String id, long generation, String finishReason) {
        return end(require(id), generation, "finish", UiParts.finish(finishReason));
    }

    /** Ends the stream with {@code error}; an ended stream is left as it is. */
    public Status error(String id, long generation, String errorText) {
        return end(require(id), generation, "error", UiParts.error(errorText == null ? "" : errorText));
    }

    /**
     * Stops the stream: its relay (on whichever node) is cancelled, then it ends with {@code abort}. Any
     * generation; an ended stream is left as it is.
     */
    public Status stop(String id, String reason) {
        Stream s = require(id);
        broadcast(STOP, 0, s.id);
        RelayHandle relay;
        s.lock.lock();
        try {
            relay = detachRelay(s);
        } finally {
            s.lock.unlock();
        }
        cancel(relay);
        return end(s, 0, "abort", UiParts.abort(reason == null || reason.isEmpty() ? "stopped" : reason));
    }

    private Status end(Stream s, long generation, String state, byte[] part) {
        s.lock.lock();
        try {
            if (s.ended != null) {
                return status(s);
            }
            if (generation > 0 && generation != s.generation) {
                throw stale(s, generation);
            }
            refreshText(s); // another node may have opened or closed one
            if (s.openText != null) {
                publish(s, UiParts.textEnd(s.openText), "text-end", s.openText);
                s.openText = null;
            }
            publish(s, part, state, null);
            ended(s, state);
            broadcast(ENDED, s.generation, s.id);
            log.debug("AI stream {} ended: {}", s.id, state);
            return status(s);
        } finally {
            s.lock.unlock();
        }
    }

    // ---- reading -------------------------------------------------------------------------------------

    /** Where stream {@code id} starts, or null when it is not in its channel's history (never, or expired). */
    public Located locate(String id) {
        StreamIds.Id parsed = StreamIds.parse(id);
        StreamHistory.Found found = StreamHistory.find(node, parsed);
        return found == null ? null : new Located(id, parsed.channel(), found.start(), found.ended() != null);
    }

    /** The open stream of chat {@code chatId}, or null when it has none. */
    public Located activeInChat(String chatId) {
        String channel = chatChannel(chatId);
        String id = StreamHistory.active(node, channel);
        return id == null ? null : locate(id);
    }

    /** The channel of chat {@code chatId}'s streams. */
    public String chatChannel(String chatId) {
        if (chatId == null || !CHAT_ID.matcher(chatId).matches()) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST,
                    "a chat id is 1 to 128 of A-Z a-z 0-9 _ - .");
        }
        return config.chatChannel(chatId);
    }

    // ---- state ---------------------------------------------------------------------------------------

    private String channelOf(CreateSpec spec) {
        String channel = spec.channel() == null ? "" : spec.channel();
        if (spec.chatId() != null && !spec.chatId().isEmpty()) {
            String chat = chatChannel(spec.chatId());
            if (!channel.isEmpty() && !channel.equals(chat)) {
                throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, "chat " + spec.chatId()
                        + " streams into '" + chat + "' (ai.streams.chat_channel), not '" + channel + "'");
            }
            channel = chat;
        }
        if (channel.isEmpty() && spec.id() != null && !spec.id().isEmpty()) {
            channel = StreamIds.parse(spec.id()).channel();
        }
        if (channel.isEmpty()) {
            throw new AiStreamException(AiStreamException.Kind.BAD_REQUEST, "channel, chat_id or id is required");
        }
        return channel;
    }

    private Stream require(String id) {
        Stream s = lookup(StreamIds.parse(id));
        if (s == null) {
            throw new AiStreamException(AiStreamException.Kind.NOT_FOUND, "no stream " + id
                    + " (never created, or no longer in its channel's history)");
        }
        return s;
    }

    /** The stream as this node knows it, else as history tells (remembered while open); null when unknown. */
    private Stream lookup(StreamIds.Id id) {
        Stream known = streams.get(id.toString());
        if (known != null) {
            return known;
        }
        StreamHistory.Found found = StreamHistory.find(node, id);
        if (found == null) {
            return null;
        }
        Stream s = new Stream(id, Math.max(1, found.generation()), found.ended(), found.size(), found.openText(),
                found.texts());
        if (found.ended() != null) {
            return s;
        }
        if (streams.size() >= MAX_REMEMBERED) {
            streams.values().removeIf(r -> r.owner == null); // only others' streams: read again when needed
        }
        Stream raced = streams.putIfAbsent(id.toString(), s);
        return raced != null ? raced : s;
    }

    /**
     * Caller holds {@code s.lock}: takes the text part state and size from history, where appends through other
     * nodes left theirs (read before a text part is opened or closed, not per delta).
     */
    private void refreshText(Stream s) {
        StreamHistory.Found found = StreamHistory.find(node, s.id);
        if (found != null) {
            s.openText = found.openText();
            s.texts = Math.max(s.texts, found.texts());
            s.size = Math.max(s.size, found.size());
        }
    }

    /** Caller holds {@code s.lock}. */
    private void checkProducer(Stream s, long generation) {
        requireOpen(s);
        if (generation > 0 && generation != s.generation) {
            throw stale(s, generation);
        }
    }

    private static void requireOpen(Stream s) {
        if (s.ended != null) {
            throw new AiStreamException(AiStreamException.Kind.CONFLICT, "stream " + s.id + " has ended ("
                    + s.ended + ")");
        }
    }

    private static AiStreamException stale(Stream s, long generation) {
        return new AiStreamException(AiStreamException.Kind.CONFLICT, "stream " + s.id + " is at generation "
                + s.generation + ", not " + generation + ": another producer took it over");
    }

    /** Caller holds {@code s.lock}: a part of {@code bytes} more would pass the size limit → the stream ends. */
    private void checkSize(Stream s, int bytes) {
        if (s.size + bytes <= config.maxSize()) {
            return;
        }
        String reason = "stream larger than ai.streams.max_size (" + config.maxSize() + " bytes)";
        log.info("AI stream {} ended: {}", s.id, reason);
        RelayHandle relay = detachRelay(s); // maybe called by that relay itself: cancelled from elsewhere
        if (relay != null) {
            node.executor().execute(relay::cancel);
        }
        if (s.openText != null) {
            publish(s, UiParts.textEnd(s.openText), "text-end", s.openText);
            s.openText = null;
        }
        publish(s, UiParts.error(reason), "error", null);
        ended(s, "error");
        broadcast(ENDED, s.generation, s.id);
        throw new AiStreamException(AiStreamException.Kind.LIMIT, reason);
    }

    /** Caller holds {@code s.lock}. */
    private void publish(Stream s, byte[] part, String partTag, String textId) {
        Map<String, String> tags = new HashMap<>(4);
        tags.put(TAG_STREAM, s.id.toString());
        tags.put(TAG_GENERATION, Long.toString(s.generation));
        if (partTag != null) {
            tags.put(TAG_PART, partTag);
        }
        if (textId != null) {
            tags.put(TAG_TEXT, textId);
        }
        // One end per stream, even when two nodes end it at once.
        String idempotencyKey = partTag != null && StreamHistory.ENDS.contains(partTag) ? "ai-end:" + s.id : "";
        node.publish(s.id.channel(), part, new ServerPublish(tags, idempotencyKey, false));
        s.size += part.length;
    }

    /** Caller holds {@code s.lock}. */
    private void ended(Stream s, String state) {
        s.ended = state;
        if (s.deadline != null) {
            s.deadline.cancel(false);
            s.deadline = null;
        }
        RelayHandle relay = detachRelay(s); // still running when the API ended the stream: it reads in vain
        if (relay != null) {
            node.executor().execute(relay::cancel);
        }
        if (s.owner != null) {
            releaseUserSlot(s.owner);
            s.owner = null;
        }
        streams.remove(s.id.toString(), s);
    }

    /**
     * Caller holds {@code s.lock}: takes the stream's relay off it; the caller cancels it once the lock is
     * released (a relay may wait for its own thread, which may be waiting for this lock in {@code part}).
     */
    private static RelayHandle detachRelay(Stream s) {
        RelayHandle relay = s.relay;
        s.relay = null;
        return relay;
    }

    private static void cancel(RelayHandle relay) {
        if (relay != null) {
            relay.cancel();
        }
    }

    private void scheduleDeadline(Stream s) {
        try {
            s.deadline = node.timer().schedule(() -> node.executor().execute(() -> expire(s)),
                    config.maxDuration().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void expire(Stream s) {
        RelayHandle relay;
        s.lock.lock();
        try {
            if (s.ended != null) {
                return;
            }
            relay = detachRelay(s);
        } finally {
            s.lock.unlock();
        }
        cancel(relay);
        String reason = "stream open longer than ai.streams.max_duration (" + config.maxDuration() + ")";
        log.info("AI stream {} ended: {}", s.id, reason);
        try {
            end(s, 0, "error", UiParts.error(reason));
        } catch (RuntimeException e) {
            log.warn("AI stream {}: could not end it after its max duration: {}", s.id, e.toString());
        }
    }

    private void reserveUserSlot(String user) {
        if (user.isEmpty() || config.maxPerUser() == 0) {
            return;
        }
        synchronized (openByUser) {
            int open = openByUser.getOrDefault(user, 0);
            if (open >= config.maxPerUser()) {
                throw new AiStreamException(AiStreamException.Kind.LIMIT, "user " + user + " has " + open
                        + " open streams (ai.streams.max_per_user)");
            }
            openByUser.put(user, open + 1);
        }
    }

    private void releaseUserSlot(String user) {
        if (user.isEmpty() || config.maxPerUser() == 0) {
            return;
        }
        synchronized (openByUser) {
            openByUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static Status status(Stream s) {
        return new Status(s.id.toString(), s.id.channel(), s.generation, s.ended == null ? "open" : s.ended);
    }

    // ---- cluster -------------------------------------------------------------------------------------

    private void broadcast(byte type, long generation, StreamIds.Id id) {
        if (peers == null) {
            return;
        }
        byte[] name = id.toString().getBytes(StandardCharsets.UTF_8);
        peers.broadcast(ByteBuffer.allocate(10 + name.length).put(FRAME_KIND).put(type).putLong(generation)
                .put(name).array());
    }

    /** Another node stopped, ended or took over a stream: forget it, cancelling a relay of ours. */
    private void receive(byte[] frame) {
        if (frame.length < 11) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(frame);
        in.get();
        byte type = in.get();
        long generation = in.getLong();
        String id = new String(frame, 10, frame.length - 10, StandardCharsets.UTF_8);
        Stream s = streams.get(id);
        if (s == null) {
            return;
        }
        RelayHandle relay = null;
        s.lock.lock();
        try {
            if (type == FENCE) {
                if (generation > s.generation) {
                    relay = detachRelay(s);
                    s.generation = generation;
                    if (s.owner != null) {
                        releaseUserSlot(s.owner);
                        s.owner = null;
                        if (s.deadline != null) {
                            s.deadline.cancel(false);
                            s.deadline = null;
                        }
                    }
                }
            } else if (type == STOP || type == ENDED) {
                relay = detachRelay(s);
                ended(s, type == STOP ? "abort" : "ended");
            }
        } finally {
            s.lock.unlock();
            cancel(relay);
        }
    }

    /** Cancels this node's relays (shutdown); the streams stay open for a producer elsewhere to finish. */
    @Override
    public void close() {
        for (Stream s : streams.values()) {
            RelayHandle relay;
            s.lock.lock();
            try {
                relay = detachRelay(s);
                if (s.deadline != null) {
                    s.deadline.cancel(false);
                }
            } finally {
                s.lock.unlock();
            }
            cancel(relay);
        }
    }

    /** One stream as this node knows it. Every field guarded by {@code lock}. */
    private static final class Stream {
        final StreamIds.Id id;
        final ReentrantLock lock = new ReentrantLock();
        long generation;
        String ended;
        long size;
        String openText;
        int texts;
        /** The user whose slot this node holds for it ("" = none counted); null when not created here. */
        String owner;
        RelayHandle relay;
        ScheduledFuture<?> deadline;

        Stream(StreamIds.Id id, long generation, String ended, long size, String openText, int texts) {
            this.id = id;
            this.generation = generation;
            this.ended = ended;
            this.size = size;
            this.openText = openText;
            this.texts = texts;
        }
    }

    /** Where one generation's relay writes; refuses everything once the stream ended or moved on. */
    private final class Sink implements RelaySink {
        private final Stream s;
        private final long generation;

        Sink(Stream s, long generation) {
            this.s = s;
            this.generation = generation;
        }

        @Override
        public boolean part(byte[] uiPart) {
            s.lock.lock();
            try {
                appendPartLocked(s, generation, uiPart);
                return true;
            } catch (AiStreamException e) {
                log.debug("AI stream {}: relay part refused: {}", s.id, e.getMessage());
                return false;
            } catch (RuntimeException e) {
                log.warn("AI stream {}: relay part not written: {}", s.id, e.toString());
                return false;
            } finally {
                s.lock.unlock();
            }
        }

        @Override
        public void finished(String finishReason) {
            endFromRelay("finish", UiParts.finish(finishReason));
        }

        @Override
        public void failed(String reason) {
            endFromRelay("error", UiParts.error(reason == null ? "upstream failed" : reason));
        }

        private void endFromRelay(String state, byte[] part) {
            try {
                end(s, generation, state, part);
            } catch (RuntimeException e) {
                log.info("AI stream {}: relay end ({}) not written: {}", s.id, state, e.getMessage());
            }
        }
    }
}
