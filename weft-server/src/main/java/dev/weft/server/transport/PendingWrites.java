package dev.weft.server.transport;

import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded write queue of one connection: bytes handed to Netty and not yet written to the socket (held
 * back by TCP or HTTP/2 flow control). A write that would take the count past the bound is refused, so one
 * slow client never holds more than about {@code maxBytes} of heap; the engine then disconnects it as slow.
 *
 * <p>Thread-safe (one atomic counter); {@link #tryReserve} may be called from any thread.
 */
public final class PendingWrites {
    private final long maxBytes;
    private final AtomicLong pending = new AtomicLong();

    /** @param maxBytes most bytes that may wait to be written ({@code client.queue_max_size}) */
    public PendingWrites(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Reserves room for {@code size} bytes; false, with nothing reserved, when that would pass the bound. */
    public boolean tryReserve(int size) {
        if (pending.addAndGet(size) > maxBytes) {
            pending.addAndGet(-size);
            return false;
        }
        return true;
    }

    /**
     * Reserves room for one message of any size while fewer than {@code maxBytes} wait before it; false, with
     * nothing reserved, once the queue is full. For protocols whose single messages can be larger than the
     * bound (a collaborative document's sync reply): such a message reaches a client that keeps up, and the
     * queue holds at most {@code maxBytes} plus the messages that were admitted while it was below the bound
     * (one per writing thread).
     */
    public boolean tryReserveBelowBound(int size) {
        if (pending.getAndAdd(size) >= maxBytes) {
            pending.addAndGet(-size);
            return false;
        }
        return true;
    }

    /** Gives back a reservation whose write never happened. */
    public void cancel(int size) {
        pending.addAndGet(-size);
    }

    /** Writes and flushes a reserved message; the reservation ends when the write does, successful or not. */
    public void writeAndFlush(Channel channel, Object message, int size) {
        channel.writeAndFlush(message).addListener(f -> pending.addAndGet(-size));
    }

    /** Bytes queued and not yet written to the socket. */
    public long pending() {
        return pending.get();
    }

    public long maxBytes() {
        return maxBytes;
    }
}
