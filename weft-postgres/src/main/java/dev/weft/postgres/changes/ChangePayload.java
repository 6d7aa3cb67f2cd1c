package dev.weft.postgres.changes;

import dev.weft.postgres.changes.PgOutputMessage.Column;
import dev.weft.postgres.changes.PgOutputMessage.Relation;
import org.postgresql.replication.LogSequenceNumber;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the JSON a subscriber receives for one change:
 * {@code {"op":"update","table":"public.orders","lsn":"0/16B3748","xid":750,"new":{…},"old":{…}}}. Values are
 * JSON strings holding the column's Postgres text form, copied byte for byte with only JSON's required escapes
 * (SQL NULL is {@code null}; an unchanged TOASTed value is left out). {@code lsn} is the transaction's commit
 * LSN. Stateless; any thread.
 */
public final class ChangePayload {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ChangePayload() {
    }

    /**
     * @param old     the old row, null when Postgres sent none
     * @param oldKeys the old row holds only the replica identity's key columns
     */
    public static byte[] write(ChangeEvent op, Relation relation, TableRule rule, long commitLsn, int xid,
                               TupleData row, TupleData old, boolean oldKeys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + (row == null ? 0 : row.size() * 16));
        ascii(out, "{\"op\":\"" + op.wireName() + "\",\"table\":");
        string(out, relation.qualifiedName().getBytes(StandardCharsets.UTF_8));
        ascii(out, ",\"lsn\":\"" + LogSequenceNumber.valueOf(commitLsn).asString() + "\",\"xid\":"
                + Integer.toUnsignedString(xid));
        if (row != null) {
            ascii(out, ",\"new\":");
            tuple(out, relation.columns(), rule, row, false);
        }
        if (old != null) {
            ascii(out, ",\"old\":");
            tuple(out, relation.columns(), rule, old, oldKeys);
        }
        out.write('}');
        return out.toByteArray();
    }

    private static void tuple(ByteArrayOutputStream out, List<Column> columns, TableRule rule, TupleData row,
                              boolean keysOnly) {
        out.write('{');
        boolean first = true;
        for (int i = 0; i < columns.size() && i < row.size(); i++) {
            Column column = columns.get(i);
            byte[] value = row.value(i);
            if (!rule.includes(column.name()) || value == TupleData.UNCHANGED || (keysOnly && !column.key())) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            string(out, column.name().getBytes(StandardCharsets.UTF_8));
            out.write(':');
            if (value == null) {
                ascii(out, "null");
            } else {
                string(out, value);
            }
        }
        out.write('}');
    }

    /** A JSON string of UTF-8 bytes: quote, backslash and control characters escaped, the rest as is. */
    static void string(ByteArrayOutputStream out, byte[] utf8) {
        out.write('"');
        int start = 0;
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if (b >= 0x20 && b != '"' && b != '\\') {
                continue;
            }
            out.write(utf8, start, i - start);
            start = i + 1;
            switch (b) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                default -> {
                    ascii(out, "\\u00");
                    out.write(HEX[b >> 4]);
                    out.write(HEX[b & 0xf]);
                }
            }
        }
        out.write(utf8, start, utf8.length - start);
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
