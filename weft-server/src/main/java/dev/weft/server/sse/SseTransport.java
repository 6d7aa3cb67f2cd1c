package dev.weft.server.sse;

import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.PushOnlyTransport;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One plain SSE stream ({@code GET /sse/…}) as an engine {@link Transport}: unidirectional, pushes encoded by
 * {@link SseEventFormat}, carried by a {@link ChunkedStreamTransport} (which sends the {@code 200} head with
 * the first frame, bounds what waits for the socket at {@code client.queue_max_size}, answers a close before
 * the head with an HTTP refusal and ends a stream with the {@code disconnect} event). What this class adds
 * is what only plain SSE needs:
 *
 * <ul>
 *   <li><b>Start.</b> The first frame (the {@code connect} push) goes out behind the {@code retry:} hint.
 *       It is checked first: a resumed position for a channel the stream does not carry makes the request
 *       a 400 ({@link #refuseBeforeStart}); a resumed channel without history gets a {@code reset} (nothing
 *       can be recovered there). Then the heartbeat comment starts, every {@code heartbeatInterval}, on the
 *       connection's event loop; it is skipped while events still wait for the socket.</li>
 *   <li><b>Ids.</b> Each channel's last delivered position is kept, seeded with the positions the client
 *       resumed from. On a stream with one channel the shared event bytes go out unchanged; with several,
 *       each event's {@code id:} line is rewritten to the position of the event's channel followed by every
 *       other channel's ({@link SseEventId}), so the id the browser keeps resumes them all.</li>
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread. {@code started}, {@code positions} and every
 * write to the stream are guarded by {@code lock}, so events and heartbeats reach the stream in order.
 */
public final class SseTransport extends PushOnlyTransport {
    private static final Logger log = LoggerFactory.getLogger(SseTransport.class);
    private static final byte[] ID_PREFIX = "id: ".getBytes(StandardCharsets.US_ASCII);

    private final ChunkedStreamTransport stream;
    private final EventExecutor eventLoop;
    private final Duration heartbeatInterval;
    private final Duration retry;
    private final Set<String> resumed;
    private final SseRefusals refusals;
    private final ReentrantLock lock = new ReentrantLock();
    /** Encoded channel → encoded position of the last event delivered, in the order first seen. */
    private final Map<String, String> positions = new LinkedHashMap<>();
    private boolean started;
    private boolean ended;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param stream            the response, built with {@link SseEventFormat#INSTANCE} and a refusal from
     *                          {@code refusals}
     * @param eventLoop         the connection's event loop, for the heartbeat
     * @param heartbeatInterval how often to send the heartbeat comment; zero = never
     * @param retry             the {@code retry:} hint
     * @param resumedFrom       the positions the client resumed from ({@code Last-Event-ID})
     * @param refusals          where a refusal decided here is left for the stream's refusal function
     */
    SseTransport(ChunkedStreamTransport stream, EventExecutor eventLoop, Duration heartbeatInterval, Duration retry,
                 List<SseEventId.Position> resumedFrom, SseRefusals refusals) {
        super("sse", SseEventFormat.INSTANCE);
        this.stream = stream;
        this.eventLoop = eventLoop;
        this.heartbeatInterval = heartbeatInterval;
        this.retry = retry;
        this.refusals = refusals;
        for (SseEventId.Position p : resumedFrom) {
            String encoded = p.encode();
            positions.put(SseEventId.channelPart(encoded), encoded);
        }
        this.resumed = Set.copyOf(positions.keySet());
        stream.onClosed(this::ended);
    }

    @Override
    public String remoteAddress() {
        return stream.remoteAddress();
    }

    @Override
    public Map<String, String> headers() {
        return stream.headers();
    }

    /** Bytes queued and not yet written to the socket. */
    @Override
    public long pendingBytes() {
        return stream.pendingBytes();
    }

    /**
     * Queues one frame of events; false when the stream's bound cannot take it (the engine then disconnects
     * the client as slow).
     */
    @Override
    public boolean write(byte[] frame) {
        lock.lock();
        try {
            if (ended) {
                return true;
            }
            if (!started) {
                return start(frame);
            }
            return frame.length == 0 || stream.write(rewriteLeadingId(frame));
        } finally {
            lock.unlock();
        }
    }

    /** The first write: check the connect frame, then send the retry hint, resets and the frame. */
    private boolean start(byte[] frame) {
        List<String> finalPositions = new ArrayList<>();
        byte[] rewritten = rewriteAll(frame, finalPositions);
        Set<String> carried = new HashSet<>();
        finalPositions.forEach(p -> carried.add(SseEventId.channelPart(p)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 64);
        out.writeBytes(SseEventFormat.retry(retry.toMillis()));
        for (String channelPart : resumed) {
            if (!finalPositions.isEmpty() && !carried.contains(channelPart)) {
                refuseBeforeStart("Last-Event-ID holds a position for channel '" + decodeChannel(channelPart)
                        + "', which this stream does not carry");
                return true;
            }
        }
        for (String p : finalPositions) {
            String channelPart = SseEventId.channelPart(p);
            if (resumed.contains(channelPart) && p.endsWith("//0")) {
                // No history: whatever was published while the client was away is gone.
                out.writeBytes(SseEventFormat.reset(decodeChannel(channelPart), null,
                        "the channel keeps no history to resume from"));
            }
        }
        out.writeBytes(rewritten);
        started = true;
        boolean accepted = stream.write(out.toByteArray());
        long every = heartbeatInterval.toMillis();
        if (accepted && every > 0) {
            try {
                heartbeat = eventLoop.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the event loop is shutting down and closes the connection anyway
            }
        }
        return accepted;
    }

    /** A check of the first frame failed: the stream answers 400 instead of starting. */
    private void refuseBeforeStart(String reason) {
        log.info("refused SSE stream from {}: 400 ({})", stream.remoteAddress(), reason);
        refusals.badRequest(reason);
        ended = true;
        stream.close(DisconnectCode.BAD_REQUEST.disconnect());
    }

    private static String decodeChannel(String channelPart) {
        return SseEventId.parse(channelPart + "//0", 1).keySet().iterator().next();
    }

    /** Event loop, every heartbeat interval: a comment, unless events are still waiting for the socket. */
    private void heartbeat() {
        lock.lock();
        try {
            if (!ended && stream.pendingBytes() == 0) {
                stream.write(SseEventFormat.heartbeat());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream: {@code event: disconnect} and the end of the response once streaming; before that,
     * the refusal {@link SseRefusals} makes of it. Idempotent.
     */
    @Override
    public void close(Disconnect disconnect) {
        ended();
        stream.close(disconnect);
    }

    /** No more events: the stream is ending or the connection is gone (either side). */
    private void ended() {
        lock.lock();
        try {
            ended = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
                heartbeat = null;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- ids -----------------------------------------------------------------------------------------

    /**
     * Every event after the connect push is one block whose {@code id:} line, if any, comes first: update
     * that channel's position and, on a multi-channel stream, put every channel's position in the id.
     * Caller holds {@code lock}.
     */
    private byte[] rewriteLeadingId(byte[] frame) {
        if (!startsWithId(frame, 0)) {
            return frame;
        }
        int eol = indexOf(frame, (byte) '\n', 0);
        String value = new String(frame, ID_PREFIX.length, eol - ID_PREFIX.length, StandardCharsets.US_ASCII);
        String composite = update(value);
        if (composite == null) {
            return frame;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + composite.length());
        out.writeBytes(ID_PREFIX);
        out.writeBytes(composite.getBytes(StandardCharsets.US_ASCII));
        out.write(frame, eol, frame.length - eol);
        return out.toByteArray();
    }

    /**
     * The connect push: several blocks, each possibly with a leading id; the last block with an id lists
     * every channel of the stream (returned in {@code finalPositions}). Caller holds {@code lock}.
     */
    private byte[] rewriteAll(byte[] frame, List<String> finalPositions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 64);
        int start = 0;
        while (start < frame.length) {
            int end = indexOfBlankLine(frame, start);
            int blockEnd = end < 0 ? frame.length : end + 2;
            if (startsWithId(frame, start)) {
                int eol = indexOf(frame, (byte) '\n', start);
                String value = new String(frame, start + ID_PREFIX.length, eol - start - ID_PREFIX.length,
                        StandardCharsets.US_ASCII);
                finalPositions.clear();
                finalPositions.addAll(List.of(value.split(",")));
                String composite = update(value);
                out.writeBytes(ID_PREFIX);
                out.writeBytes((composite == null ? value : composite).getBytes(StandardCharsets.US_ASCII));
                out.write(frame, eol, blockEnd - eol);
            } else {
                out.write(frame, start, blockEnd - start);
            }
            start = blockEnd;
        }
        return out.toByteArray();
    }

    /**
     * Records the positions of one id value (its first one is the event's channel); returns the id to send
     * instead, or null when the value can go out as it is (single-channel streams).
     */
    private String update(String value) {
        String[] parts = value.split(",");
        for (String p : parts) {
            positions.put(SseEventId.channelPart(p), p);
        }
        if (positions.size() == parts.length) {
            return null;
        }
        String first = SseEventId.channelPart(parts[0]);
        StringBuilder composite = new StringBuilder(positions.get(first));
        for (Map.Entry<String, String> e : positions.entrySet()) {
            if (!e.getKey().equals(first)) {
                composite.append(',').append(e.getValue());
            }
        }
        return composite.toString();
    }

    private static boolean startsWithId(byte[] frame, int at) {
        if (frame.length - at < ID_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < ID_PREFIX.length; i++) {
            if (frame[at + i] != ID_PREFIX[i]) {
                return false;
            }
        }
        return indexOf(frame, (byte) '\n', at) >= 0;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfBlankLine(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "sse " + stream.remoteAddress();
    }
}
