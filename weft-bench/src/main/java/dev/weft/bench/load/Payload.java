package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The message every target carries: a small JSON object holding the send time, so latency is measured the
 * same way whatever the protocol around it. {@code ts} is nanoseconds since this generator started (small
 * enough to survive a JavaScript number, which Socket.IO re-serialises).
 */
public final class Payload {

    private static final long ORIGIN = System.nanoTime();
    private static final byte[] MARKER = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final String PAD = "x".repeat(48);

    private Payload() {
    }

    /** Nanoseconds on the clock payloads carry. */
    public static long now() {
        return System.nanoTime() - ORIGIN;
    }

    public static String json(long sentNanos, long seq) {
        return "{\"ts\":" + sentNanos + ",\"seq\":" + seq + ",\"pad\":\"" + PAD + "\"}";
    }

    public static byte[] bytes(long sentNanos, long seq) {
        return json(sentNanos, seq).getBytes(StandardCharsets.US_ASCII);
    }

    /** The send time in the first payload found in {@code data[from, to)}, or -1 if there is none. */
    public static long sentNanos(byte[] data, int from, int to) {
        int at = indexOf(data, from, to);
        return at < 0 ? -1 : digits(data, at + MARKER.length, to);
    }

    public static long sentNanos(byte[] data) {
        return sentNanos(data, 0, data.length);
    }

    /** The send time of the payload at the start of {@code buf}'s readable bytes, or -1. */
    public static long sentNanos(ByteBuf buf, int from, int to) {
        for (int i = from; i + MARKER.length <= to; i++) {
            if (matches(buf, i)) {
                long value = 0;
                int j = i + MARKER.length;
                boolean any = false;
                while (j < to) {
                    byte b = buf.getByte(j++);
                    if (b < '0' || b > '9') {
                        break;
                    }
                    value = value * 10 + (b - '0');
                    any = true;
                }
                return any ? value : -1;
            }
        }
        return -1;
    }

    private static boolean matches(ByteBuf buf, int at) {
        for (int k = 0; k < MARKER.length; k++) {
            if (buf.getByte(at + k) != MARKER[k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int from, int to) {
        outer:
        for (int i = from; i + MARKER.length <= to; i++) {
            for (int k = 0; k < MARKER.length; k++) {
                if (data[i + k] != MARKER[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long digits(byte[] data, int at, int to) {
        long value = 0;
        int i = at;
        while (i < to && data[i] >= '0' && data[i] <= '9') {
            value = value * 10 + (data[i++] - '0');
        }
        return i == at ? -1 : value;
    }
}
