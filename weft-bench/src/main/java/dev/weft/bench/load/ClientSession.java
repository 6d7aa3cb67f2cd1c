package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One generator connection speaking one target's protocol: it subscribes when the WebSocket opens, answers
 * the protocol's pings, reports every message it receives to {@link Deliveries}, and (for the publisher)
 * publishes. Event-loop only, except {@link #ready()}, {@link #close()} and {@link #publish}, which any thread
 * may call (Netty hands writes to the loop).
 */
public abstract class ClientSession {

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Channel channel;
    private volatile long startedNanos;
    private volatile long readyNanos;
    private volatile boolean closedByUs;

    /** Completes when the session may publish or is subscribed to all its channels; fails if it never is. */
    public final CompletableFuture<Void> ready() {
        return ready;
    }

    /** Nanoseconds from the TCP connect call until the protocol said ready, or -1 if it has not. */
    public final long connectNanos() {
        return readyNanos == 0 ? -1 : readyNanos - startedNanos;
    }

    /** Publishes one payload to {@code target} without flushing; see {@link #flush()}. Publishers only. */
    public void publish(String target, byte[] payload) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not publish");
    }

    /** The event loop this connection runs on: publishers are driven from it. */
    public final io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Whether the connection's outbound buffer has room (false: the server is not reading fast enough). */
    public final boolean writable() {
        Channel ch = channel;
        return ch != null && ch.isWritable();
    }

    public final void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    public final void close() {
        closedByUs = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    final boolean closedByUs() {
        return closedByUs;
    }

    /** Called just before the TCP connect: connect time counts from here. */
    final void connecting() {
        this.startedNanos = System.nanoTime();
    }

    /** Called when the channel is registered, before any of its events. */
    final void attach(Channel ch) {
        this.channel = ch;
    }

    /** The WebSocket handshake finished: send whatever the protocol sends first. */
    protected abstract void opened();

    /** One complete WebSocket message ({@code text} or binary); the buffer is released by the caller. */
    protected abstract void received(ByteBuf content, boolean text);

    protected final void markReady() {
        if (!ready.isDone()) {
            readyNanos = System.nanoTime();
            ready.complete(null);
        }
    }

    protected final void fail(String reason) {
        ready.completeExceptionally(new IllegalStateException(reason));
    }

    protected final void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    protected final void writeText(byte[] text) {
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(text)));
    }

    protected final void writeText(String text) {
        writeText(text.getBytes(StandardCharsets.UTF_8));
    }

    protected final void writeBinary(byte[] data) {
        channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }

    protected final void sendBinary(byte[] data) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }
}
