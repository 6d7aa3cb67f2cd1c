package dev.weft.protocol.delta;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fossil delta encoding (the format of fossil-scm's {@code delta.c}, used by Centrifugo's delta compression):
 * {@link #create} writes the same bytes as fossil's own encoder and Centrifuge's Go port
 * ({@code shadowspore/fossil-delta}), {@link #apply} reads any valid delta and checks its size and checksum.
 *
 * <p>A delta is {@code <target size>\n} followed by commands, each number in base-64 digits
 * {@code 0-9A-Z_a-z~}: {@code <n>@<offset>,} copies n bytes of the origin, {@code <n>:<bytes>} inserts n
 * literal bytes, {@code <checksum>;} ends it. Stateless and thread-safe.
 */
public final class FossilDelta {
    private static final int HASH_SIZE = 16;
    /** Candidate blocks examined per position: bounds the work on repetitive input, as in the reference. */
    private static final int SEARCH_LIMIT = 250;
    private static final byte[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int[] DIGIT_VALUES = new int[128];

    static {
        Arrays.fill(DIGIT_VALUES, -1);
        for (int i = 0; i < DIGITS.length; i++) {
            DIGIT_VALUES[DIGITS[i]] = i;
        }
    }

    private FossilDelta() {
    }

    /** The delta that turns {@code origin} into {@code target}. */
    public static byte[] create(byte[] origin, byte[] target) {
        Output out = new Output(target.length / 4 + 32);
        int lenOut = target.length;
        int lenSrc = origin.length;
        out.putInt(lenOut);
        out.write('\n');
        if (lenSrc <= HASH_SIZE) {
            out.putInt(lenOut);
            out.write(':');
            out.write(target, 0, lenOut);
            out.putInt(checksum(target));
            out.write(';');
            return out.toByteArray();
        }
        int nHash = lenSrc / HASH_SIZE;
        int[] collide = new int[nHash];
        int[] landmark = new int[nHash];
        Arrays.fill(collide, -1);
        Arrays.fill(landmark, -1);
        RollingHash hash = new RollingHash();
        for (int i = 0; i < lenSrc - HASH_SIZE; i += HASH_SIZE) {
            hash.init(origin, i);
            int hv = Integer.remainderUnsigned(hash.value(), nHash);
            collide[i / HASH_SIZE] = landmark[hv];
            landmark[hv] = i / HASH_SIZE;
        }
        int base = 0;
        while (base + HASH_SIZE < lenOut) {
            int bestOffset = 0;
            int bestLiteral = 0;
            int bestCount = 0;
            hash.init(target, base);
            int i = 0;
            while (true) {
                int limit = SEARCH_LIMIT;
                int block = landmark[Integer.remainderUnsigned(hash.value(), nHash)];
                while (block >= 0 && --limit > 0) {
                    int src = block * HASH_SIZE;
                    int x = src;
                    int y = base + i;
                    int j = 0;
                    while (x < lenSrc && y < lenOut && origin[x] == target[y]) {
                        x++;
                        y++;
                        j++;
                    }
                    j--;
                    int k;
                    for (k = 1; k < src && k <= i; k++) {
                        if (origin[src - k] != target[base + i - k]) {
                            break;
                        }
                    }
                    k--;
                    int offset = src - k;
                    int count = j + k + 1;
                    int literal = i - k;
                    int cost = digitCount(i - k) + digitCount(count) + digitCount(offset) + 3;
                    if (count >= cost && count > bestCount) {
                        bestCount = count;
                        bestOffset = offset;
                        bestLiteral = literal;
                    }
                    block = collide[block];
                }
                if (bestCount > 0) {
                    if (bestLiteral > 0) {
                        out.putInt(bestLiteral);
                        out.write(':');
                        out.write(target, base, bestLiteral);
                        base += bestLiteral;
                    }
                    base += bestCount;
                    out.putInt(bestCount);
                    out.write('@');
                    out.putInt(bestOffset);
                    out.write(',');
                    break;
                }
                if (base + i + HASH_SIZE >= lenOut) {
                    out.putInt(lenOut - base);
                    out.write(':');
                    out.write(target, base, lenOut - base);
                    base = lenOut;
                    break;
                }
                hash.next(target[base + i + HASH_SIZE]);
                i++;
            }
        }
        if (base < lenOut) {
            out.putInt(lenOut - base);
            out.write(':');
            out.write(target, base, lenOut - base);
        }
        out.putInt(checksum(target));
        out.write(';');
        return out.toByteArray();
    }

    /**
     * Applies {@code delta} to {@code origin}.
     *
     * @throws IllegalArgumentException when the delta is malformed, reads outside the origin, or its size or
     *                                  checksum does not match what it produces
     */
    public static byte[] apply(byte[] origin, byte[] delta) {
        Input in = new Input(delta);
        long limit = in.getInt();
        if (in.getChar() != '\n') {
            throw new IllegalArgumentException("size integer not terminated by '\\n'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 1 << 20));
        long total = 0;
        while (in.hasBytes()) {
            long count = in.getInt();
            switch (in.getChar()) {
                case '@' -> {
                    long offset = in.getInt();
                    if (in.hasBytes() && in.getChar() != ',') {
                        throw new IllegalArgumentException("copy command not terminated by ','");
                    }
                    total += count;
                    if (total > limit) {
                        throw new IllegalArgumentException("copy exceeds output file size");
                    }
                    if (offset + count > origin.length) {
                        throw new IllegalArgumentException("copy extends past end of input");
                    }
                    out.write(origin, (int) offset, (int) count);
                }
                case ':' -> {
                    total += count;
                    if (total > limit) {
                        throw new IllegalArgumentException("insert command gives an output larger than predicted");
                    }
                    if (count > delta.length - in.pos) {
                        throw new IllegalArgumentException("insert count exceeds size of delta");
                    }
                    out.write(delta, in.pos, (int) count);
                    in.pos += (int) count;
                }
                case ';' -> {
                    byte[] result = out.toByteArray();
                    if (count != Integer.toUnsignedLong(checksum(result))) {
                        throw new IllegalArgumentException("bad checksum");
                    }
                    if (total != limit) {
                        throw new IllegalArgumentException("generated size does not match predicted size");
                    }
                    return result;
                }
                default -> throw new IllegalArgumentException("unknown delta operator");
            }
        }
        throw new IllegalArgumentException("unterminated delta");
    }

    /** Fossil's 32-bit checksum: four byte lanes summed, folded big-endian. */
    static int checksum(byte[] a) {
        int sum0 = 0;
        int sum1 = 0;
        int sum2 = 0;
        int sum = 0;
        int z = 0;
        int n = a.length;
        while (n >= 16) {
            sum0 += (a[z] & 0xff) + (a[z + 4] & 0xff) + (a[z + 8] & 0xff) + (a[z + 12] & 0xff);
            sum1 += (a[z + 1] & 0xff) + (a[z + 5] & 0xff) + (a[z + 9] & 0xff) + (a[z + 13] & 0xff);
            sum2 += (a[z + 2] & 0xff) + (a[z + 6] & 0xff) + (a[z + 10] & 0xff) + (a[z + 14] & 0xff);
            sum += (a[z + 3] & 0xff) + (a[z + 7] & 0xff) + (a[z + 11] & 0xff) + (a[z + 15] & 0xff);
            z += 16;
            n -= 16;
        }
        while (n >= 4) {
            sum0 += a[z] & 0xff;
            sum1 += a[z + 1] & 0xff;
            sum2 += a[z + 2] & 0xff;
            sum += a[z + 3] & 0xff;
            z += 4;
            n -= 4;
        }
        sum += (sum2 << 8) + (sum1 << 16) + (sum0 << 24);
        switch (n) {
            case 3 -> sum += ((a[z + 2] & 0xff) << 8) + ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
            case 2 -> sum += ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
            case 1 -> sum += (a[z] & 0xff) << 24;
            default -> {
            }
        }
        return sum;
    }

    private static int digitCount(int v) {
        int i = 1;
        for (long x = 64; v >= x; x <<= 6) {
            i++;
        }
        return i;
    }

    /** Adler-like hash over a 16-byte window, updated one byte at a time (16-bit lanes, as the reference). */
    private static final class RollingHash {
        private int a;
        private int b;
        private int i;
        private final byte[] window = new byte[HASH_SIZE];

        void init(byte[] z, int pos) {
            int sa = 0;
            int sb = 0;
            for (int k = 0; k < HASH_SIZE; k++) {
                int x = z[pos + k] & 0xff;
                sa = (sa + x) & 0xffff;
                sb = (sb + (HASH_SIZE - k) * x) & 0xffff;
                window[k] = (byte) x;
            }
            a = sa;
            b = sb;
            i = 0;
        }

        void next(byte c) {
            int old = window[i] & 0xff;
            window[i] = c;
            i = (i + 1) & (HASH_SIZE - 1);
            a = (a - old + (c & 0xff)) & 0xffff;
            b = (b - HASH_SIZE * old + a) & 0xffff;
        }

        int value() {
            return a | (b << 16);
        }
    }

    private static final class Output extends ByteArrayOutputStream {
        Output(int size) {
            super(size);
        }

        void putInt(int v) {
            if (v == 0) {
                write('0');
                return;
            }
            byte[] digits = new byte[6];
            int n = 0;
            for (long u = Integer.toUnsignedLong(v); u > 0; u >>>= 6) {
                digits[n++] = DIGITS[(int) (u & 0x3f)];
            }
            while (n > 0) {
                write(digits[--n]);
            }
        }
    }

    private static final class Input {
        private final byte[] bytes;
        private int pos;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasBytes() {
            return pos < bytes.length;
        }

        int getChar() {
            if (pos >= bytes.length) {
                throw new IllegalArgumentException("unterminated delta");
            }
            return bytes[pos++] & 0xff;
        }

        /** A base-64 number; stops before the first non-digit (as the reference, wrapping at 32 bits). */
        long getInt() {
            int v = 0;
            while (pos < bytes.length) {
                int c = DIGIT_VALUES[bytes[pos] & 0x7f];
                if (c < 0) {
                    break;
                }
                v = (v << 6) + c;
                pos++;
            }
            return Integer.toUnsignedLong(v);
        }
    }
}
