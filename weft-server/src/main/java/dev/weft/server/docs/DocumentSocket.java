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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A WebSocket connection of a document dialect: the frames a client sends are handed to the dialect's
 * {@link Handler} one at a time, in order, on virtual threads (the handler may wait for rooms and for token
 * checks; the event loop never does). A frame that does not decode closes the connection with
 * {@link DocumentError#MALFORMED}; a client that sends faster than its frames are handled (more than
 * {@value #MAX_QUEUED_FRAMES} frames or {@code maxQueuedBytes} waiting) is closed as {@link DocumentError#SLOW}.
 *
 * <p>Thread-safe: the transport calls in from its event loop, the handler runs in the serial inbox.
 */
public final class DocumentSocket implements SessionFactory.Session {
    private static final Logger log = LoggerFactory.getLogger(DocumentSocket.class);
    static final int MAX_QUEUED_FRAMES = 256;

    /** A dialect's side of the connection; every method runs in the connection's serial inbox. */
    public interface Handler {
        /** The connection is open (authenticate, join). */
        void opened();

        /** One complete binary message from the client. */
        void frame(byte[] frame) throws YjsFormatException;

        /** The connection is gone: leave every document. */
        void closed();
    }

    private final WebSocketTransport transport;
    private final Executor executor;
    private final SerialExecutor inbox;
    private final Handler handler;
    private final long maxQueuedBytes;
    private final RefusalCounters refusals;
    /** Bytes of frames received and not handled yet. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Set when the server ends the connection: frames still waiting are not handled. */
    private volatile boolean ended;

    /**
     * @param maxQueuedBytes most bytes of received frames that may wait to be handled
     * @param refusals       where refusals and error closes are counted ({@code docs.<error>})
     * @param dialect        makes the handler, which keeps this socket to send and close with
     */
    DocumentSocket(WebSocketTransport transport, Executor executor, long maxQueuedBytes, RefusalCounters refusals,
                   Function<DocumentSocket, Handler> dialect) {
        this.transport = transport;
        this.executor = executor;
        this.maxQueuedBytes = maxQueuedBytes;
        this.refusals = refusals;
        this.inbox = new SerialExecutor(executor, MAX_QUEUED_FRAMES);
        this.handler = dialect.apply(this);
        inbox.execute(this::open);
    }

    /** Sends one frame; false when the connection's bounded write queue is full. */
    public boolean send(byte[] frame) {
        return transport.write(frame);
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

    /** Closes the connection with {@code error}'s close code and reason, counted as {@link #refused}. */
    public void close(DocumentError error) {
        refused(error);
        ended = true;
        transport.close(new Disconnect(error.closeCode(), error.reason(), false));
    }

    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public void handleFrame(byte[] frame) {
        if (queuedBytes.addAndGet(frame.length) > maxQueuedBytes || !inbox.execute(() -> handle(frame))) {
            log.info("closing {} from {}: more than {} messages or {} bytes waiting", transport.name(),
                    remoteAddress(), MAX_QUEUED_FRAMES, maxQueuedBytes);
            close(DocumentError.SLOW);
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
        if (ended) {
            return; // frames the client sent before its own close are still handled
        }
        try {
            handler.frame(frame);
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
            handler.closed();
        } catch (RuntimeException e) {
            log.error("{} from {} failed while closing", transport.name(), remoteAddress(), e);
        }
    }
}
