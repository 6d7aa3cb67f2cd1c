package dev.weft.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages for the WebSocket connections of one event loop, handed over from any thread and written by the
 * loop in one task per burst. A fan-out of one publication to every subscriber thus costs each event loop
 * one task (not one per connection), each connection one flush per burst (not one per message), and each
 * event loop one WebSocket framing of the publication: consecutive messages with the same array (the hub
 * encodes a publication once and hands every subscriber that array) share one framed buffer, written to
 * every connection as a {@code retainedDuplicate()} with no copy. Framed buffers enter the pipeline just
 * before the WebSocket encoder, so they must not be used where an extension such as compression is
 * negotiated (Weft negotiates none).
 *
 * <p>Order: one connection's messages are queued in the order its session wrote them (the session writes
 * under its lock) and written in that order; {@link #drain} before a close frame lets queued messages go
 * first. The queue is unbounded here because every message in it was first reserved against its
 * connection's bounded write queue.
 *
 * <p>Thread-safe: {@link #add} from any thread; the rest on the event loop only.
 */
final class WebSocketOutbox implements Runnable {
    /** Messages one task writes before it yields to the loop's other work (and re-schedules itself). */
    private static final int MAX_PER_TASK = 65_536;
    private static final ConcurrentHashMap<EventLoop, WebSocketOutbox> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final Queue<Queued> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Connections written to in the running task; flushed at its end. Event loop only. */
    private final List<WebSocketTransport> written = new ArrayList<>();
    /** Event loop only: a close started by a write of this drain must not start another one inside it. */
    private boolean draining;

    private record Queued(WebSocketTransport transport, byte[] message, boolean binary) {
    }

    private WebSocketOutbox(EventLoop loop) {
        this.loop = loop;
    }

    /** The outbox of {@code loop}; created on first use, forgotten when the loop terminates. */
    static WebSocketOutbox of(EventLoop loop) {
        WebSocketOutbox existing = BY_LOOP.get(loop);
        if (existing != null) {
            return existing;
        }
        return BY_LOOP.computeIfAbsent(loop, l -> {
            try {
                l.terminationFuture().addListener(f -> BY_LOOP.remove(l));
            } catch (UnsupportedOperationException e) {
                // an EmbeddedChannel's loop (tests) never terminates; its outbox stays with the small map
            }
            return new WebSocketOutbox(l);
        });
    }

    /** Queues one message for {@code transport}, already reserved against its write queue. Any thread. */
    void add(WebSocketTransport transport, byte[] message, boolean binary) {
        queue.offer(new Queued(transport, message, binary));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    @Override
    public void run() {
        drain();
    }

    /** Writes what is queued and flushes each connection written to. Event loop only. */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        scheduled.set(false); // before polling: a message added after the last poll schedules a new task
        byte[] lastMessage = null;
        boolean lastBinary = false;
        ByteBuf framed = null;
        int count = 0;
        try {
            Queued next;
            while (count++ < MAX_PER_TASK && (next = queue.poll()) != null) {
                if (next.message != lastMessage || next.binary != lastBinary) {
                    if (framed != null) {
                        framed.release();
                    }
                    framed = frame(next.message, next.binary, next.transport.allocator());
                    lastMessage = next.message;
                    lastBinary = next.binary;
                }
                if (next.transport.writeQueued(framed.retainedDuplicate(), next.message.length)) {
                    written.add(next.transport);
                }
            }
        } finally {
            if (framed != null) {
                framed.release();
            }
            for (WebSocketTransport t : written) {
                t.flushQueued();
            }
            written.clear();
            draining = false;
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        try {
            loop.execute(this);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down and closes its connections; what is queued goes with them.
            scheduled.set(false);
        }
    }

    /** One unmasked, unfragmented server-to-client WebSocket message (RFC 6455 §5.2) carrying {@code payload}. */
    static ByteBuf frame(byte[] payload, boolean binary, ByteBufAllocator allocator) {
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf buf = allocator.directBuffer(header + length);
        buf.writeByte(binary ? 0x82 : 0x81); // FIN + opcode
        if (length < 126) {
            buf.writeByte(length);
        } else if (length <= 0xFFFF) {
            buf.writeByte(126);
            buf.writeShort(length);
        } else {
            buf.writeByte(127);
            buf.writeLong(length);
        }
        buf.writeBytes(payload);
        return buf;
    }
}
