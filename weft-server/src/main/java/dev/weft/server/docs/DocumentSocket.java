package dev.weft.server.docs;

import dev.weft.core.docs.DocumentError;
import dev.weft.core.internal.SerialExecutor;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.protocol.model.Disconnect;
import dev.weft.server.websocket.SessionFactory;
import dev.weft.server.websocket.WebSocketTransport;
import dev.weft.yjs.YjsFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A WebSocket connection of a document dialect: the frames a client sends are handed to the dialect's
 * {@link Handler} one at a time, in order, on virtual threads (the handler may wait for rooms and for token
 * checks; the event loop never does). A frame that does not decode closes the connection with
 * {@link DocumentError#MALFORMED}.
 *
 * <p><b>Back-pressure.</b> A client that sends faster than its frames are handled is held back by TCP: once
 * {@value #HIGH_WATER_FRAMES} frames or {@value #HIGH_WATER_BYTES} bytes wait, the socket stops reading, and
 * reads again when at most {@value #LOW_WATER_FRAMES} frames and {@value #LOW_WATER_BYTES} bytes wait. What was
 * already read still arrives while paused (the rest of one read buffer, or the end of one large message), so
 * the inbox stays below {@value #MAX_QUEUED_FRAMES} frames and {@code maxQueuedBytes}; a client that passes
 * them anyway is closed as {@link DocumentError#SLOW} (1013), the last resort.
 *
 * <p><b>Writes.</b> {@link #send} never drops a frame silently: a frame the bounded write queue refuses (the
 * client does not read) closes the connection as {@link DocumentError#SLOW}, with one log line.
 *
 * <p>Thread-safe: the transport calls in from its event loop, the handler runs in the serial inbox; the
 * reading state ({@code paused}) is guarded by {@code this}.
 */
public final class DocumentSocket implements SessionFactory.Session {
    private static final Logger log = LoggerFactory.getLogger(DocumentSocket.class);
    /** Reading stops at this many frames waiting, or {@link #HIGH_WATER_BYTES}. */
    static final int HIGH_WATER_FRAMES = 512;
    static final int HIGH_WATER_BYTES = 1 << 20;
    /** Reading resumes at this many frames waiting, and at most {@link #LOW_WATER_BYTES}. */
    static final int LOW_WATER_FRAMES = 64;
    static final int LOW_WATER_BYTES = 256 << 10;
    /**
     * Frames that may wait at all: the high-water mark plus what one read buffer (64 KiB) can hold of the
     * smallest frames a client can send (6 bytes each), which still arrives once reading is paused.
     */
    static final int MAX_QUEUED_FRAMES = HIGH_WATER_FRAMES + (64 << 10) / 6 + 1;

    /** A dialect's side of the connection; every method runs in the connection's serial inbox. */
    public interface Handler {
        /** The connection is open (authenticate, join). */
        void opened();

        /** One complete binary message from the client. */
        void frame(byte[] frame) throws YjsFormatException;

        /**
         * No more frames wait: apply what the handler gathered from the frames before (updates in a row are
         * gathered and submitted to their room together). Also called before {@link #closed}.
         */
        void drained();

        /** The connection is gone: leave every document. */
        void closed();
    }

    private final WebSocketTransport transport;
    private final Executor executor;
    private final SerialExecutor inbox;
    private final Handler handler;
    private final long maxQueuedBytes;
    private final RefusalCounters refusals;
    private final DocumentTraffic traffic;
    /** Frames and bytes received and not handled yet. */
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Whether reading is paused; guarded by {@code this}. */
    private boolean paused;
    /** Set when the server ends the connection: frames still waiting are not handled. */
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param maxQueuedBytes most bytes of received frames that may wait to be handled, reading paused or not
     * @param refusals       where refusals and error closes are counted ({@code docs.<error>})
     * @param traffic        where relayed updates and awareness are counted
     * @param dialect        makes the handler, which keeps this socket to send and close with
     */
    DocumentSocket(WebSocketTransport transport, Executor executor, long maxQueuedBytes, RefusalCounters refusals,
                   DocumentTraffic traffic, Function<DocumentSocket, Handler> dialect) {
        this.transport = transport;
        this.executor = executor;
        this.maxQueuedBytes = maxQueuedBytes;
        this.refusals = refusals;
        this.traffic = traffic;
        this.inbox = new SerialExecutor(executor, MAX_QUEUED_FRAMES + 64); // frames, and a few tasks beside them
        this.handler = dialect.apply(this);
        inbox.execute(this::open);
    }

    /** Where this connection's relayed updates and awareness are counted. */
    DocumentTraffic traffic() {
        return traffic;
    }

    /**
     * Sends one frame. False when the connection's bounded write queue refused it: the connection is then
     * being closed as {@link DocumentError#SLOW}, logged once.
     */
    public boolean send(byte[] frame) {
        if (transport.write(frame)) {
            return true;
        }
        if (!ended.get()) {
            log.info("closing {} from {}: it does not read what it is sent ({} bytes waiting to be written, "
                    + "client.queue_max_size; a {}-byte message refused)", transport.name(), remoteAddress(),
                    transport.pendingBytes(), frame.length);
        }
        close(DocumentError.SLOW);
        return false;
    }

    /**
     * Runs {@code task} in the connection's inbox, after the frames already waiting: how a room's callback
     * gets back to the connection's side (a room task must never wait for the room itself).
     */
    public void execute(Runnable task) {
        if (!inbox.execute(task)) {
            close(DocumentError.SLOW);
        }
    }

    /** Counts a refusal or an error end of a document under {@code docs.<error>} (shutdown is not one). */
    public void refused(DocumentError error) {
        if (error != DocumentError.SHUTDOWN) {
            refusals.increment("docs." + error.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Closes the connection with {@code error}'s close code and reason, counted as {@link #refused}; once. */
    public void close(DocumentError error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        refused(error);
        transport.close(new Disconnect(error.closeCode(), error.reason(), false));
    }

    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public void handleFrame(byte[] frame) {
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(frame.length);
        if (frames > MAX_QUEUED_FRAMES || bytes > maxQueuedBytes || !inbox.execute(() -> handle(frame))) {
            if (!ended.get()) {
                log.info("closing {} from {}: {} messages, {} bytes waiting although reading was paused "
                        + "(limits {} and {})", transport.name(), remoteAddress(), frames, bytes, MAX_QUEUED_FRAMES,
                        maxQueuedBytes);
            }
            close(DocumentError.SLOW);
            return;
        }
        adjustReading();
    }

    /** Pauses reading above the high-water mark, resumes at the low-water mark; any thread. */
    private synchronized void adjustReading() {
        int frames = queuedFrames.get();
        long bytes = queuedBytes.get();
        if (!paused && (frames >= HIGH_WATER_FRAMES || bytes >= HIGH_WATER_BYTES)) {
            paused = true;
            transport.readPaused(true);
        } else if (paused && frames <= LOW_WATER_FRAMES && bytes <= LOW_WATER_BYTES) {
            paused = false;
            transport.readPaused(false);
        }
    }

    @Override
    public void handleTransportClosed() {
        try {
            if (!inbox.execute(this::closed)) {
                executor.execute(this::closed); // the inbox is full; leaving must not be lost
            }
        } catch (RejectedExecutionException e) {
            log.debug("{} from {} closed during shutdown", transport.name(), remoteAddress());
        }
    }

    private void open() {
        try {
            handler.opened();
        } catch (RuntimeException e) {
            log.error("{} from {} failed to open", transport.name(), remoteAddress(), e);
            close(DocumentError.INTERNAL);
        }
    }

    private void handle(byte[] frame) {
        queuedBytes.addAndGet(-frame.length);
        int waiting = queuedFrames.decrementAndGet();
        adjustReading();
        if (ended.get()) {
            return; // frames the client sent before its own close are still handled
        }
        try {
            handler.frame(frame);
            if (waiting == 0) {
                handler.drained();
            }
        } catch (YjsFormatException e) {
            log.info("closing {} from {}: malformed message ({})", transport.name(), remoteAddress(), e.getMessage());
            close(DocumentError.MALFORMED);
        } catch (RuntimeException e) {
            log.error("{} from {} failed on a message", transport.name(), remoteAddress(), e);
            close(DocumentError.INTERNAL);
        }
    }

    private void closed() {
        try {
            handler.drained();
            handler.closed();
        } catch (RuntimeException e) {
            log.error("{} from {} failed while closing", transport.name(), remoteAddress(), e);
        }
    }
}
