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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder's framing: every message written as the protocol describes reads back equal, and every proper
 * prefix of it is refused with {@link PgOutputFormatException} (never another exception, never a message).
 */
class PgOutputFramingProperties {

    @Property(tries = 300)
    void everyMessageReadsBackEqual(@ForAll("messages") PgOutputMessage message) {
        assertThat(PgOutputDecoder.decode(ByteBuffer.wrap(write(message)))).isEqualTo(message);
    }

    @Property(tries = 300)
    void everyProperPrefixIsRefused(@ForAll("messages") PgOutputMessage message) {
        byte[] bytes = write(message);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuffer prefix = ByteBuffer.wrap(bytes, 0, length);
            assertThatThrownBy(() -> PgOutputDecoder.decode(prefix)).isInstanceOf(PgOutputFormatException.class);
        }
    }

    @Provide
    Arbitrary<PgOutputMessage> messages() {
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Long> longs = Arbitraries.longs();
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '\u00e9').ofMaxLength(12);
        Arbitrary<Column> column = Combinators.combine(Arbitraries.of(true, false), names, ints, ints).as(Column::new);
        Arbitrary<TupleData> tuple = Arbitraries.oneOf(Arbitraries.just((byte[]) null),
                        Arbitraries.just(TupleData.UNCHANGED),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .list().ofMaxSize(6).map(TupleData::of);
        return Arbitraries.oneOf(
                Combinators.combine(longs, longs, ints).as(Begin::new),
                Combinators.combine(Arbitraries.bytes().map(b -> (int) b), longs, longs, longs).as(Commit::new),
                Combinators.combine(ints, names, names, Arbitraries.of('d', 'n', 'f', 'i'), column.list().ofMaxSize(6))
                        .as(Relation::new),
                Combinators.combine(ints, tuple).as(Insert::new),
                Combinators.combine(ints, tuple, Arbitraries.of(true, false), tuple)
                        .as((id, old, keys, row) -> new Update(id, old, keys, row)),
                Combinators.combine(ints, tuple, tuple).as((id, old, row) -> new Update(id, null, false, row)),
                Combinators.combine(ints, tuple, Arbitraries.of(true, false)).as(Delete::new),
                Combinators.combine(Arbitraries.integers().between(0, 3), ints.list().ofMinSize(1).ofMaxSize(5))
                        .as(Truncate::new));
    }

    /** Writes {@code message} as Postgres does (protocol version 1, text values). */
    static byte[] write(PgOutputMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            switch (message) {
                case Begin b -> {
                    out.writeByte('B');
                    out.writeLong(b.finalLsn());
                    out.writeLong(b.commitTimeMicros());
                    out.writeInt(b.xid());
                }
                case Commit c -> {
                    out.writeByte('C');
                    out.writeByte(c.flags());
                    out.writeLong(c.commitLsn());
                    out.writeLong(c.endLsn());
                    out.writeLong(c.commitTimeMicros());
                }
                case Relation r -> {
                    out.writeByte('R');
                    out.writeInt(r.id());
                    string(out, r.namespace());
                    string(out, r.name());
                    out.writeByte(r.replicaIdentity());
                    out.writeShort(r.columns().size());
                    for (Column c : r.columns()) {
                        out.writeByte(c.key() ? 1 : 0);
                        string(out, c.name());
                        out.writeInt(c.typeOid());
                        out.writeInt(c.typeModifier());
                    }
                }
                case Insert i -> {
                    out.writeByte('I');
                    out.writeInt(i.relationId());
                    out.writeByte('N');
                    tuple(out, i.row());
                }
                case Update u -> {
                    out.writeByte('U');
                    out.writeInt(u.relationId());
                    if (u.old() != null) {
                        out.writeByte(u.oldIsKeyOnly() ? 'K' : 'O');
                        tuple(out, u.old());
                    }
                    out.writeByte('N');
                    tuple(out, u.row());
                }
                case Delete d -> {
                    out.writeByte('D');
                    out.writeInt(d.relationId());
                    out.writeByte(d.oldIsKeyOnly() ? 'K' : 'O');
                    tuple(out, d.old());
                }
                case Truncate t -> {
                    out.writeByte('T');
                    out.writeInt(t.relationIds().size());
                    out.writeByte(t.options());
                    for (int id : t.relationIds()) {
                        out.writeInt(id);
                    }
                }
                case Skipped s -> throw new IllegalArgumentException("not generated");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void tuple(DataOutputStream out, TupleData row) throws IOException {
        out.writeShort(row.size());
        for (int i = 0; i < row.size(); i++) {
            byte[] value = row.value(i);
            if (value == null) {
                out.writeByte('n');
            } else if (value == TupleData.UNCHANGED) {
                out.writeByte('u');
            } else {
                out.writeByte('t');
                out.writeInt(value.length);
                out.write(value);
            }
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }

}
