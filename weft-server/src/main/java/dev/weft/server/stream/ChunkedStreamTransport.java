package dev.weft.server.stream;

import dev.weft.core.transport.PushFormat;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Push;
import dev.weft.server.transport.PendingWrites;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A connection whose server-to-client half is one long HTTP response: each {@link #write} becomes one chunk
 * (HTTP/1.1 chunked encoding) or DATA frame (HTTP/2), delimited by a {@link StreamFraming} — SSE events,
 * newline-delimited JSON, self-delimiting Protobuf. Serves the unidirectional transports ({@code uni_sse},
 * {@code uni_http_stream}) and, with reply-wrapped pushes, the server-to-client half of bidirectional
 * emulation ({@code sse}, {@code http_stream}).
 *
 * <p><b>Head.</b> The {@code 200} head ({@code Content-Type} of the framing, no-cache headers,
 * {@code X-Accel-Buffering: no} so proxies do not buffer, plus {@link Builder#responseHeaders}) is sent with
 * the first frame, or by {@link #commit()}. A {@link #close} before that answers with an HTTP error instead
 * ({@link Builder#refusal}, by default {@link DisconnectResponses}): the client gets a status it can act on,
 * not a 200 that ends at once.
 *
 * <p><b>End.</b> {@link #close} after the head writes the disconnect as a last push in the transport's
 * {@link PushFormat} (so the client learns the code and whether to reconnect), ends the response and closes
 * the channel — the TCP connection for HTTP/1.1 (announced with {@code Connection: close} in the head), only
 * the stream for HTTP/2 — once that is written, or after {@link #CLOSE_WAIT} if the reader does not take it
 * (a slow reader). When the client goes away the channel closes and {@link #onClosed} tasks run.
 *
 * <p><b>Bounded queue.</b> Bytes handed to Netty but not yet written to the socket (or, for HTTP/2, held by
 * flow control) are counted; a frame that would take the count past {@code queueMaxSize} is refused with
 * {@code false} and not queued, and the engine disconnects the client as slow. A slow reader never grows the
 * heap beyond about {@code queueMaxSize}.
 *
 * <p><b>Buffers.</b> Frames are wrapped, not copied: one encoded publication is shared by every subscriber.
 *
 * <p>Thread-safe: every method may be called from any thread. Head and frames are handed to the channel under
 * {@code this}, so they reach it in call order (Netty runs writes from other threads in submission order).
 */
public final class ChunkedStreamTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(ChunkedStreamTransport.class);

    /** How long the disconnect and the end of the response may take to reach the reader before the close. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Channel channel;
    private final String name;
    private final ProtocolType protocol;
    private final boolean unidirectional;
    private final boolean emulation;
    private final PushFormat pushFormat;
    private final StreamFraming framing;
    private final String remoteAddress;
    private final Map<String, String> headers;
    private final HttpHeaders responseHeaders;
    private final Function<Disconnect, FullHttpResponse> refusal;
    private final boolean http2;
    private final PendingWrites pendingWrites;
    /** Guarded by {@code this}. */
    private boolean committed;
    /** Written under {@code this}; read without it to drop writes early. */
    private volatile boolean closing;

    private ChunkedStreamTransport(Builder b) {
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.name = Objects.requireNonNull(b.name, "name");
        this.protocol = b.protocol;
        this.unidirectional = b.unidirectional;
        this.emulation = b.emulation;
        this.pushFormat = Objects.requireNonNull(b.pushFormat, "pushFormat");
        this.framing = Objects.requireNonNull(b.framing, "framing");
        this.remoteAddress = b.remoteAddress;
        this.headers = Map.copyOf(b.headers);
        this.pendingWrites = new PendingWrites(b.queueMaxSize);
        this.responseHeaders = b.responseHeaders.copy();
        this.refusal = b.refusal;
        this.http2 = channel instanceof Http2StreamChannel;
        channel.closeFuture().addListener(f -> closing = true);
    }

    /** A builder for a stream on {@code channel} (from {@code HttpExchange.startStream()}). */
    public static Builder builder(Channel channel) {
        return new Builder(channel);
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
    public boolean emulation() {
        return emulation;
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
     * Queues one frame as one chunk. Returns false, without queueing, when the bounded queue cannot take it.
     * After closing started the frame is dropped and true returned: there is nobody left to be slow.
     */
    @Override
    public boolean write(byte[] frame) {
        if (closing) {
            return true;
        }
        ByteBuf chunk = framing.frame(frame);
        int size = chunk.readableBytes();
        if (!pendingWrites.tryReserve(size)) {
            chunk.release();
            log.debug("{} stream to {} full ({} bytes pending, limit {}), refusing {} bytes", name, remoteAddress,
                    pendingWrites.pending(), pendingWrites.maxBytes(), size);
            return false;
        }
        synchronized (this) {
            if (closing) {
                pendingWrites.cancel(size);
                chunk.release();
                return true;
            }
            commitLocked();
            pendingWrites.writeAndFlush(channel, new DefaultHttpContent(chunk), size);
        }
        return true;
    }

    /** Sends the {@code 200} head now rather than with the first frame. Idempotent; no-op once closing. */
    public void commit() {
        synchronized (this) {
            if (!closing && !committed) {
                commitLocked();
                channel.flush();
            }
        }
    }

    /**
     * Runs {@code task} once when the channel closes, for whatever reason (the client went away, the stream
     * ended), on the channel's event loop — at once if it is closed already. Typically the session's
     * {@code handleTransportClosed}.
     */
    public void onClosed(Runnable task) {
        channel.closeFuture().addListener(f -> task.run());
    }

    /** Bytes queued and not yet written to the socket. */
    @Override
    public long pendingBytes() {
        return pendingWrites.pending();
    }

    /** True once the head went out. */
    public synchronized boolean committed() {
        return committed;
    }

    /** True once either side started closing. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Before the head: answers with the refusal response for {@code disconnect}. After it: writes the disconnect
     * push, ends the response, closes the channel. Idempotent.
     */
    @Override
    public void close(Disconnect disconnect) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            if (!committed) {
                committed = true;
                FullHttpResponse response = refusal.apply(disconnect);
                if (!http2) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (disconnect != null) {
                byte[] push = pushFormat.encode(new Push("", disconnect), "");
                channel.write(new DefaultHttpContent(framing.frame(push)));
            }
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
        closeAfterWait();
    }

    /** A reader that does not take the end of the stream (its queue is full, it stopped reading) is cut off. */
    private void closeAfterWait() {
        try {
            var timeout = channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    log.debug("{} did not take the end of its stream within {}; closing", this, CLOSE_WAIT);
                    channel.close();
                }
            }, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            channel.close(); // the event loop is shutting down and closes the socket anyway
        }
    }

    private void commitLocked() {
        if (committed) {
            return;
        }
        committed = true;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, framing.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, "private, no-cache, no-store, must-revalidate, max-age=0")
                .set(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.EXPIRES, "0")
                .set("X-Accel-Buffering", "no")
                .add(responseHeaders);
        if (!http2) {
            head.headers()
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.write(head);
    }

    @Override
    public String toString() {
        return name + " " + remoteAddress + " (" + framing + (http2 ? ", h2)" : ")");
    }

    /** Configures a {@link ChunkedStreamTransport}. Not thread-safe. */
    public static final class Builder {
        private final Channel channel;
        private String name;
        private ProtocolType protocol = ProtocolType.JSON;
        private boolean unidirectional;
        private boolean emulation;
        private PushFormat pushFormat;
        private StreamFraming framing;
        private String remoteAddress = "";
        private Map<String, String> headers = Map.of();
        private long queueMaxSize = 1024 * 1024;
        private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
        private Function<Disconnect, FullHttpResponse> refusal = DisconnectResponses::of;

        private Builder(Channel channel) {
            this.channel = channel;
        }

        /** Transport name for logs and metrics, e.g. {@code "uni_sse"}. Required. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Protocol of the frames; JSON by default. */
        public Builder protocol(ProtocolType protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder unidirectional(boolean unidirectional) {
            this.unidirectional = unidirectional;
            return this;
        }

        /**
         * For the server-to-client half of bidirectional emulation ({@code http_stream}, {@code sse}): the client
         * sends its commands through {@code /emulation} ({@link Transport#emulation}).
         */
        public Builder emulation(boolean emulation) {
            this.emulation = emulation;
            return this;
        }

        /** How the engine encodes pushes and pings for this stream; also encodes the final disconnect. Required. */
        public Builder pushFormat(PushFormat pushFormat) {
            this.pushFormat = pushFormat;
            return this;
        }

        /** How frames are delimited; also sets the {@code Content-Type}. Required. */
        public Builder framing(StreamFraming framing) {
            this.framing = framing;
            return this;
        }

        /** Peer address for logs, {@code host:port}. */
        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        /** Selected request headers the engine sees (lower-case names). */
        public Builder headers(Map<String, String> headers) {
            this.headers = headers;
            return this;
        }

        /** Most bytes that may wait to be written ({@code client.queue_max_size}). */
        public Builder queueMaxSize(long queueMaxSize) {
            this.queueMaxSize = queueMaxSize;
            return this;
        }

        /** Extra headers of the {@code 200} head (CORS, say). */
        public Builder responseHeader(CharSequence name, Object value) {
            responseHeaders.add(name, value);
            return this;
        }

        /** The answer to a {@link #close} before the head; {@link DisconnectResponses#of} by default. */
        public Builder refusal(Function<Disconnect, FullHttpResponse> refusal) {
            this.refusal = refusal;
            return this;
        }

        public ChunkedStreamTransport build() {
            return new ChunkedStreamTransport(this);
        }
    }
}
