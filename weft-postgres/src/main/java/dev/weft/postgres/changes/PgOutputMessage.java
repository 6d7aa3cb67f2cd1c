package dev.weft.postgres.changes;

import java.util.List;

/**
 * One message of the {@code pgoutput} logical replication protocol (version 1), as Postgres documents it in
 * "Logical Replication Message Formats". Only committed transactions are sent, each as Begin, its changes and
 * Commit; a Relation describes a table before its first change in a session. Column values stay the bytes
 * Postgres sent (the text form of each type). Immutable.
 */
public sealed interface PgOutputMessage {

    /** {@code B}: a transaction starts; {@code finalLsn} is the LSN of its commit record. */
    record Begin(long finalLsn, long commitTimeMicros, int xid) implements PgOutputMessage {
    }

    /** {@code C}: the transaction ends; the slot may be confirmed up to {@code endLsn}. */
    record Commit(int flags, long commitLsn, long endLsn, long commitTimeMicros) implements PgOutputMessage {
    }

    /**
     * {@code R}: what relation {@code id} is. {@code replicaIdentity} is {@code d} (primary key), {@code n}
     * (nothing), {@code f} (full row) or {@code i} (an index).
     */
    record Relation(int id, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {
        public Relation {
            columns = List.copyOf(columns);
        }

        /** {@code namespace.name}, as rules name tables. */
        public String qualifiedName() {
            return namespace + "." + name;
        }
    }

    /** A column of a {@link Relation}: {@code key} when it is part of the replica identity. */
    record Column(boolean key, String name, int typeOid, int typeModifier) {
    }

    /** {@code I}: a new row. */
    record Insert(int relationId, TupleData row) implements PgOutputMessage {
    }

    /**
     * {@code U}: a changed row. {@code old} is null unless the old row is sent: the key columns ({@code K}) when
     * the key changed, or every column ({@code O}) with {@code REPLICA IDENTITY FULL}.
     */
    record Update(int relationId, TupleData old, boolean oldIsKeyOnly, TupleData row) implements PgOutputMessage {
    }

    /** {@code D}: a deleted row: its key columns ({@code K}), or every column ({@code O}, identity FULL). */
    record Delete(int relationId, TupleData old, boolean oldIsKeyOnly) implements PgOutputMessage {
    }

    /** {@code T}: tables emptied; {@code options} bit 1 = CASCADE, bit 2 = RESTART IDENTITY. */
    record Truncate(int options, List<Integer> relationIds) implements PgOutputMessage {
        public Truncate {
            relationIds = List.copyOf(relationIds);
        }
    }

    /** A message this consumer has no use for (Origin {@code O}, Type {@code Y}, logical message {@code M}). */
    record Skipped(char tag) implements PgOutputMessage {
    }
}
