package dev.weft.server.ai.reader;

import dev.weft.core.transport.Transport;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.ai.UiParts;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.PushOnlyTransport;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One reader of one AI stream over HTTP ({@code /ai/streams/<id>}, {@code /ai/chat/<id>/stream}) as an engine
 * {@link Transport}: the engine subscribes it to the stream's channel (with the reader's permissions,
 * recovering from where the catch-up read from history ended), this class keeps the stream's own parts, drops
 * anything after its end, and writes the UI message stream protocol: {@code id: <offset>:<epoch>} and
 * {@code data: <part>} per event, {@code data: [DONE]} after the end part, then ends the response.
 *
 * <p><b>Coalescing.</b> Parts wait in a {@link PartBatch} (consecutive deltas merged) and are written at most
 * once per {@code window}: the first part after a quiet window goes out at once, later ones at the window's end.
 * A reader whose socket has not taken the last write yet (a slow reader) gets nothing new but keeps merging, so
 * it receives fewer, larger events; the producer never waits for it. What waits is bounded: past
 * {@code maxBatch} bytes it is written whatever the socket's state, and when the response's own bound
 * ({@code client.queue_max_size}) refuses that the reader is disconnected as slow. The catch-up (everything
 * before the subscription went live) is one write, merged.
 *
 * <p>Thread-safe: writes come from the session, flushes from the connection's event loop; all state is
 * guarded by {@code lock}.
 */
final class AiStreamTransport extends PushOnlyTransport {
    private static final Logger log = LoggerFactory.getLogger(AiStreamTransport.class);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> ENDS = Set.of("finish", "error", "abort");

    private final ChunkedStreamTransport out;
    private final EventExecutor eventLoop;
    private final String stream;
    private final long windowNanos;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final PartBatch batch = new PartBatch();
    private List<AiPartFormat.Part> catchUp;
    private final boolean endedBefore;
    /** Offset of the last part taken; parts at or before it are the seam between catch-up and live. */
    private long taken;
    private boolean connected;
    private boolean ended;
    private ScheduledFuture<?> flush;
    private long lastFlushNanos;

    /**
     * @param catchUp parts read from history before the subscription, oldest first; the subscription recovers
     *                from the last of them
     * @param after   offset before the first part this reader may get (the catch-up's start)
     * @param endedBefore the stream had ended when the catch-up was read: a reader resuming after its end gets
     *                    {@code [DONE]} at once
     */
    AiStreamTransport(ChunkedStreamTransport out, EventExecutor eventLoop, String stream, Duration window,
                      int maxBatch, List<AiPartFormat.Part> catchUp, long after, boolean endedBefore) {
        super("ai_stream", AiPartFormat.INSTANCE);
        this.out = out;
        this.eventLoop = eventLoop;
        this.stream = stream;
        this.windowNanos = window.toNanos();
        this.maxBatch = maxBatch;
        this.catchUp = catchUp;
        this.taken = after;
        this.endedBefore = endedBefore;
        this.lastFlushNanos = System.nanoTime() - windowNanos;
        out.onClosed(this::ended);
    }

    @Override
    public String remoteAddress() {
        return out.remoteAddress();
    }

    @Override
    public Map<String, String> headers() {
        return out.headers();
    }

    @Override
    public long pendingBytes() {
        lock.lock();
        try {
            return out.pendingBytes() + batch.bytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean write(byte[] frame) {
        lock.lock();
        try {
            if (ended) {
                return true;
            }
            boolean now = false;
            boolean end = false;
            for (AiPartFormat.Event event : AiPartFormat.read(frame)) {
                switch (event) {
                    case AiPartFormat.Connected c -> {
                        connected = true;
                        now = true;
                        for (AiPartFormat.Part p : catchUp) {
                            end |= take(p);
                        }
                        catchUp = List.of();
                        end |= endedBefore;
                    }
                    case AiPartFormat.Part p -> end |= take(p);
                    case AiPartFormat.Gap g -> {
                        batch.add(errorPart("the stream is no longer in its channel's history"));
                        end = true;
                    }
                    case AiPartFormat.Ping p -> {
                        if (connected && batch.isEmpty() && out.pendingBytes() == 0) {
                            out.write(PING);
                        }
                    }
                    case AiPartFormat.Ended e -> now = true;
                }
                if (end) {
                    break;
                }
            }
            if (end) {
                finish();
                return true;
            }
            if (now) {
                out.commit();
                return flushNow();
            }
            return schedule();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds {@code lock}; true when {@code p} ends the stream. */
    private boolean take(AiPartFormat.Part p) {
        if (!p.stream().equals(stream) || p.offset() <= taken) {
            return false;
        }
        taken = p.offset();
        batch.add(p);
        return ENDS.contains(p.state());
    }

    /** Caller holds {@code lock}: the stream's end part is in the batch. */
    private void finish() {
        ByteArrayOutputStream last = new ByteArrayOutputStream();
        last.writeBytes(batch.drain());
        last.writeBytes(DONE);
        ended = true;
        cancelFlush();
        out.write(last.toByteArray());
        out.close(null);
    }

    /** Caller holds {@code lock}. */
    private boolean schedule() {
        if (flush != null || batch.isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        long due = lastFlushNanos + windowNanos;
        if ((now >= due && out.pendingBytes() == 0) || batch.bytes() >= maxBatch) {
            return flushNow();
        }
        scheduleIn(Math.max(due - now, 0));
        return true;
    }

    private void scheduleIn(long nanos) {
        try {
            flush = eventLoop.schedule(this::timedFlush, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down and closes the connection anyway
        }
    }

    /** Event loop, a window after the first waiting part. */
    private void timedFlush() {
        lock.lock();
        try {
            flush = null;
            if (ended || batch.isEmpty()) {
                return;
            }
            if (out.pendingBytes() > 0 && batch.bytes() < maxBatch) {
                scheduleIn(windowNanos); // the socket is still busy: keep merging
                return;
            }
            if (!flushNow()) {
                log.info("AI stream reader {} too slow: more than client.queue_max_size waiting; closing",
                        out.remoteAddress());
                ended = true;
                out.close(null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds {@code lock}. */
    private boolean flushNow() {
        cancelFlush();
        lastFlushNanos = System.nanoTime();
        byte[] events = batch.drain();
        return events.length == 0 || out.write(events);
    }

    private void cancelFlush() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
    }

    private static AiPartFormat.Part errorPart(String text) {
        return new AiPartFormat.Part(0, "", "", "error", "error", null, null, UiParts.error(text));
    }

    @Override
    public void close(Disconnect disconnect) {
        ended();
        out.close(disconnect);
    }

    private void ended() {
        lock.lock();
        try {
            ended = true;
            cancelFlush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ai_stream " + out.remoteAddress();
    }
}
