package dev.weft.server.websocket;

import dev.weft.core.transport.PushFormat;
import dev.weft.core.transport.PushFormats;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Push;
import dev.weft.server.transport.PendingWrites;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A WebSocket connection as the engine sees it. Each {@link #write} becomes one WebSocket message: a text
 * frame for JSON, a binary frame for Protobuf. Writes go through the event loop's {@link WebSocketOutbox},
 * which writes them in bursts, one flush per connection per burst. Bidirectional ({@code /connection/websocket}) by default;
 * {@link #unidirectional} makes the one-way variant ({@code uni_websocket}: bare pushes, and the disconnect
 * sent as a push before the close frame, as Centrifugo v6.5.1+ does).
 *
 * <p><b>Bounded write queue.</b> {@link PendingWrites} counts bytes handed over but not yet written to the
 * socket (added in {@link #write}, subtracted once the burst's writes end, success or not). A frame that would
 * take it past {@code queueMaxSize} is refused with {@code false} and not queued; the engine then disconnects
 * the client as slow. The heap never holds more than about {@code queueMaxSize} for one client. A
 * {@link #binary} connection (the document dialects) admits a message of any size while less than
 * {@code queueMaxSize} waits before it ({@link PendingWrites#tryReserveBelowBound}): a document's sync reply or
 * a large update may be bigger than the bound, and must still reach a client that keeps up.
 *
 * <p><b>Buffers.</b> The frame array is framed once per event loop and burst, and that buffer is shared by
 * every subscriber's write; nobody may modify the array afterwards.
 *
 * <p><b>Closing.</b> {@link #close} sends a close frame with the disconnect's code and reason, then waits up
 * to {@link #CLOSE_WAIT} for the client to end the closing handshake before closing the socket (closing at
 * once could reset the connection and lose the close frame). Once closing starts, writes are dropped.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class WebSocketTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    /** How long to wait for the client's close frame (or its FIN) after sending ours. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** RFC 6455: a close frame's reason must fit in 123 bytes. */
    private static final int MAX_REASON_BYTES = 123;

    private final Channel channel;
    private final String name;
    private final boolean unidirectional;
    private final PushFormat pushFormat;
    private final boolean disconnectPush;
    private final ProtocolType protocol;
    private final String remoteAddress;
    private final Map<String, String> headers;
    private final PendingWrites pendingWrites;
    /** Admit a message larger than the bound while the queue is below it (binary document connections). */
    private final boolean wholeMessages;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final WebSocketOutbox outbox;
    /**
     * Event loop only: bytes written in the outbox's running burst and the burst's last write so far (null
     * outside a burst), and whether our close frame went out.
     */
    private int burstBytes;
    private ChannelFuture lastInBurst;
    private boolean closeSent;
    /** Event loop only: the WebSocket encoder's context once found; framed messages enter the pipeline there. */
    private ChannelHandlerContext encoder;

    /**
     * @param headers      selected request headers, lower-case names
     * @param queueMaxSize most bytes that may wait to be written ({@code client.queue_max_size})
     */
    public WebSocketTransport(Channel channel, ProtocolType protocol, String remoteAddress,
                              Map<String, String> headers, long queueMaxSize) {
        this(channel, "websocket", false, PushFormats.replyWrapped(protocol), false, protocol, remoteAddress,
                headers, queueMaxSize);
    }

    /**
     * The one-way WebSocket ({@code uni_websocket}): JSON, bare pushes.
     *
     * @param disconnectPush send the disconnect as a push message before the close frame
     */
    public static WebSocketTransport unidirectional(Channel channel, String remoteAddress, Map<String, String> headers,
                                                    long queueMaxSize, boolean disconnectPush) {
        return new WebSocketTransport(channel, "uni_websocket", true, PushFormats.bare(ProtocolType.JSON),
                disconnectPush, ProtocolType.JSON, remoteAddress, headers, queueMaxSize);
    }

    /**
     * A connection carrying binary frames of another protocol (the Yjs document dialects): every write is one
     * binary message, admitted whatever its size while less than {@code queueMaxSize} waits; the client
     * protocol's push formats are never used on it.
     */
    public static WebSocketTransport binary(Channel channel, String name, String remoteAddress,
                                            Map<String, String> headers, long queueMaxSize) {
        return new WebSocketTransport(channel, name, false, PushFormats.replyWrapped(ProtocolType.PROTOBUF), false,
                ProtocolType.PROTOBUF, remoteAddress, headers, queueMaxSize, true);
    }

    private WebSocketTransport(Channel channel, String name, boolean unidirectional, PushFormat pushFormat,
                               boolean disconnectPush, ProtocolType protocol, String remoteAddress,
                               Map<String, String> headers, long queueMaxSize) {
        this(channel, name, unidirectional, pushFormat, disconnectPush, protocol, remoteAddress, headers,
                queueMaxSize, false);
    }

    private WebSocketTransport(Channel channel, String name, boolean unidirectional, PushFormat pushFormat,
                               boolean disconnectPush, ProtocolType protocol, String remoteAddress,
                               Map<String, String> headers, long queueMaxSize, boolean wholeMessages) {
        this.channel = channel;
        this.name = name;
        this.unidirectional = unidirectional;
        this.pushFormat = pushFormat;
        this.disconnectPush = disconnectPush;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.headers = Map.copyOf(headers);
        this.pendingWrites = new PendingWrites(queueMaxSize);
        this.wholeMessages = wholeMessages;
        this.outbox = WebSocketOutbox.of(channel.eventLoop());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProtocolType protocolType() {
        return protocol;
    }

    @Override
    public PushFormat pushFormat() {
        return pushFormat;
    }

    @Override
    public boolean unidirectional() {
        return unidirectional;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Queues one message. Returns false, without queueing, when the bounded write queue cannot take it.
     * After closing started the frame is dropped and true returned: there is nobody left to be slow.
     */
    @Override
    public boolean write(byte[] frame) {
        if (closing.get()) {
            return true;
        }
        int size = frame.length;
        if (!(wholeMessages ? pendingWrites.tryReserveBelowBound(size) : pendingWrites.tryReserve(size))) {
            log.debug("write queue of {} full ({} bytes pending, limit {}), refusing {} bytes", remoteAddress,
                    pendingWrites.pending(), pendingWrites.maxBytes(), size);
            return false;
        }
        outbox.add(this, frame, protocol == ProtocolType.PROTOBUF);
        return true;
    }

    ByteBufAllocator allocator() {
        return channel.alloc();
    }

    /**
     * Writes one framed message of the outbox's burst, without flushing; takes ownership of {@code framed}.
     * True when it is this connection's first message of the burst (the outbox then flushes it at the end).
     * Event loop only.
     */
    boolean writeQueued(ByteBuf framed, int size) {
        if (closeSent || !channel.isActive()) {
            framed.release();
            pendingWrites.cancel(size);
            return false;
        }
        boolean first = lastInBurst == null;
        lastInBurst = framedOut().write(framed);
        burstBytes += size;
        return first;
    }

    /** Ends this connection's part of a burst: flushes, and frees its bytes once the writes end. Event loop only. */
    void flushQueued() {
        int bytes = burstBytes;
        ChannelFuture last = lastInBurst;
        burstBytes = 0;
        lastInBurst = null;
        // Writes complete in order, so the last one's end is the burst's end, successful or not.
        last.addListener(f -> pendingWrites.cancel(bytes));
        framedOut().flush();
    }

    /**
     * Where already framed messages are written: just before the WebSocket encoder, so they pass only the
     * handlers between it and the socket (TLS, if any) — the handlers behind it deal in frames, not bytes.
     */
    private ChannelOutboundInvoker framedOut() {
        if (encoder == null) {
            encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
        }
        return encoder != null ? encoder : channel;
    }

    /** Bytes queued and not yet written to the socket. */
    @Override
    public long pendingBytes() {
        return pendingWrites.pending();
    }

    /**
     * Stops reading from the socket (TCP then holds the client back) or starts again: for a session that
     * cannot keep up with what the client sends. Any thread.
     */
    public void readPaused(boolean paused) {
        channel.config().setAutoRead(!paused);
    }

    /** True once either side started closing. */
    public boolean isClosing() {
        return closing.get();
    }

    /** Sends the disconnect as the close frame, lets queued frames go first, then closes. Idempotent. */
    @Override
    public void close(Disconnect disconnect) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            sendClose(disconnect);
            return;
        }
        try {
            channel.eventLoop().execute(() -> sendClose(disconnect));
        } catch (RejectedExecutionException e) {
            channel.close(); // the event loop is shutting down and closes the socket anyway
        }
    }

    private void sendClose(Disconnect disconnect) {
        outbox.drain(); // what was written before closing goes first
        closeSent = true;
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        if (disconnectPush) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(
                    pushFormat.encode(new Push("", disconnect), ""))));
        }
        int code = WebSocketCloseStatus.isValidStatusCode(disconnect.code())
                ? disconnect.code() : WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code();
        channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(disconnect.reason())))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        channel.close();
                        return;
                    }
                    var timeout = channel.eventLoop().schedule(() -> {
                        channel.close();
                    }, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    channel.closeFuture().addListener(c -> timeout.cancel(false));
                });
    }

    /**
     * The client sent a close frame. If it started the closing handshake, answer with its status and close
     * (the server closes TCP first); if it is answering ours, the handshake is complete: close. Takes
     * ownership of {@code frame}. Event loop only.
     */
    void peerClosed(CloseWebSocketFrame frame) {
        int status = frame.statusCode();
        frame.release();
        if (!closing.compareAndSet(false, true)) {
            channel.close();
            return;
        }
        outbox.drain();
        closeSent = true;
        CloseWebSocketFrame answer = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
        channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    /** Cuts a close reason to 123 UTF-8 bytes without splitting a character. */
    static String truncate(String reason) {
        if (reason.length() * 3 <= MAX_REASON_BYTES
                || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int cp = reason.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_REASON_BYTES) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return reason.substring(0, end);
    }

    @Override
    public String toString() {
        return name + " " + remoteAddress + " (" + protocol + ")";
    }
}
