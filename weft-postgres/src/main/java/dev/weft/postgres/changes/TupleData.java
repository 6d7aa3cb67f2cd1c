package dev.weft.postgres.changes;

import java.util.Arrays;
import java.util.List;

/**
 * The column values of one row as {@code pgoutput} sends them, in the relation's column order. A value is
 * null (SQL NULL), {@link #UNCHANGED} (a TOASTed value the update did not touch, so Postgres did not send it),
 * or the bytes of its text form. The arrays are owned by this object: do not modify them.
 */
public final class TupleData {
    /** Marks a value Postgres did not send because it is unchanged and stored out of line. */
    public static final byte[] UNCHANGED = new byte[0];

    private final byte[][] values;

    TupleData(byte[][] values) {
        this.values = values;
    }

    public static TupleData of(List<byte[]> values) {
        return new TupleData(values.toArray(new byte[0][]));
    }

    public int size() {
        return values.length;
    }

    /** The text bytes of column {@code i}, null for SQL NULL, or {@link #UNCHANGED}. */
    public byte[] value(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TupleData other) || other.values.length != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if ((values[i] == UNCHANGED) != (other.values[i] == UNCHANGED) || !Arrays.equals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(values[i] == null ? "null" : values[i] == UNCHANGED ? "unchanged"
                    : new String(values[i], java.nio.charset.StandardCharsets.UTF_8));
        }
        return s.append(')').toString();
    }
}
