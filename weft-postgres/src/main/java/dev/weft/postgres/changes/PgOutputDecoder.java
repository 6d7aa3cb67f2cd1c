package dev.weft.postgres.changes;

import dev.weft.postgres.changes.PgOutputMessage.Begin;
import dev.weft.postgres.changes.PgOutputMessage.Column;
import dev.weft.postgres.changes.PgOutputMessage.Commit;
import dev.weft.postgres.changes.PgOutputMessage.Delete;
import dev.weft.postgres.changes.PgOutputMessage.Insert;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import dev.weft.postgres.changes.PgOutputMessage.Skipped;
import dev.weft.postgres.changes.PgOutputMessage.Truncate;
import dev.weft.postgres.changes.PgOutputMessage.Update;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code pgoutput} message (protocol version 1, text values) from the payload of an XLogData frame.
 * Every message must be consumed exactly: a short or over-long payload, an unknown tag or an unknown tuple
 * kind is a {@link PgOutputFormatException}. Stateless; any thread.
 */
public final class PgOutputDecoder {

    private PgOutputDecoder() {
    }

    /** Decodes the message between {@code buffer}'s position and limit (the position ends at the limit). */
    public static PgOutputMessage decode(ByteBuffer buffer) {
        try {
            PgOutputMessage message = read(buffer);
            if (buffer.hasRemaining()) {
                throw new PgOutputFormatException(buffer.remaining() + " bytes after a '" + tagOf(message)
                        + "' message");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new PgOutputFormatException("message ends early");
        }
    }

    private static PgOutputMessage read(ByteBuffer b) {
        char tag = (char) b.get();
        return switch (tag) {
            case 'B' -> new Begin(b.getLong(), b.getLong(), b.getInt());
            case 'C' -> new Commit(b.get(), b.getLong(), b.getLong(), b.getLong());
            case 'R' -> relation(b);
            case 'I' -> {
                int relation = b.getInt();
                expect(b, 'N', "Insert");
                yield new Insert(relation, tuple(b));
            }
            case 'U' -> update(b);
            case 'D' -> {
                int relation = b.getInt();
                char kind = (char) b.get();
                if (kind != 'K' && kind != 'O') {
                    throw new PgOutputFormatException("Delete: expected 'K' or 'O', got " + printable(kind));
                }
                yield new Delete(relation, tuple(b), kind == 'K');
            }
            case 'T' -> {
                int count = b.getInt();
                if (count < 0 || count > b.remaining() / 4) {
                    throw new PgOutputFormatException("Truncate: " + count + " relations do not fit");
                }
                int options = b.get();
                List<Integer> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ids.add(b.getInt());
                }
                yield new Truncate(options, ids);
            }
            case 'O' -> {
                b.getLong();
                string(b);
                yield new Skipped(tag);
            }
            case 'Y' -> {
                b.getInt();
                string(b);
                string(b);
                yield new Skipped(tag);
            }
            case 'M' -> {
                b.get();
                b.getLong();
                string(b);
                b.position(b.position() + length(b, "Message"));
                yield new Skipped(tag);
            }
            default -> throw new PgOutputFormatException("unknown message tag " + printable(tag));
        };
    }

    private static Relation relation(ByteBuffer b) {
        int id = b.getInt();
        String namespace = string(b);
        String name = string(b);
        char identity = (char) b.get();
        int count = Short.toUnsignedInt(b.getShort());
        List<Column> columns = new ArrayList<>(Math.min(count, b.remaining()));
        for (int i = 0; i < count; i++) {
            boolean key = (b.get() & 1) != 0;
            columns.add(new Column(key, string(b), b.getInt(), b.getInt()));
        }
        return new Relation(id, namespace, name, identity, columns);
    }

    private static Update update(ByteBuffer b) {
        int relation = b.getInt();
        char kind = (char) b.get();
        TupleData old = null;
        boolean keyOnly = false;
        if (kind == 'K' || kind == 'O') {
            keyOnly = kind == 'K';
            old = tuple(b);
            kind = (char) b.get();
        }
        if (kind != 'N') {
            throw new PgOutputFormatException("Update: expected 'N', got " + printable(kind));
        }
        return new Update(relation, old, keyOnly, tuple(b));
    }

    private static TupleData tuple(ByteBuffer b) {
        int count = Short.toUnsignedInt(b.getShort());
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            char kind = (char) b.get();
            values[i] = switch (kind) {
                case 'n' -> null;
                case 'u' -> TupleData.UNCHANGED;
                case 't' -> {
                    byte[] value = new byte[length(b, "column value")];
                    b.get(value);
                    yield value;
                }
                default -> throw new PgOutputFormatException("column " + i + ": unknown value kind "
                        + printable(kind) + (kind == 'b' ? " (binary values are not requested)" : ""));
            };
        }
        return new TupleData(values);
    }

    private static int length(ByteBuffer b, String what) {
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new PgOutputFormatException(what + ": length " + length + " exceeds the " + b.remaining()
                    + " bytes left");
        }
        return length;
    }

    /** A NUL-terminated string (names, in the database encoding; UTF-8 assumed). */
    private static String string(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (true) {
            if (end >= b.limit()) {
                throw new PgOutputFormatException("string without its terminating NUL");
            }
            if (b.get(end) == 0) {
                break;
            }
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(start, bytes);
        String s = new String(bytes, StandardCharsets.UTF_8);
        b.position(end + 1);
        return s;
    }

    private static void expect(ByteBuffer b, char expected, String message) {
        char kind = (char) b.get();
        if (kind != expected) {
            throw new PgOutputFormatException(message + ": expected '" + expected + "', got " + printable(kind));
        }
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "0x" + Integer.toHexString(c & 0xff);
    }

    private static char tagOf(PgOutputMessage m) {
        return switch (m) {
            case Begin x -> 'B';
            case Commit x -> 'C';
            case Relation x -> 'R';
            case Insert x -> 'I';
            case Update x -> 'U';
            case Delete x -> 'D';
            case Truncate x -> 'T';
            case Skipped s -> s.tag();
        };
    }
}
