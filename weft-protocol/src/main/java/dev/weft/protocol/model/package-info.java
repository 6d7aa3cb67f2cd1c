/**
 * The Centrifugo client protocol v2 as Java records: commands a client sends, replies and pushes the
 * server sends. Field names and meanings follow the protocol's schema; the JSON and Protobuf codecs in
 * {@code dev.weft.protocol.codec} are the only code that knows how they look on the wire.
 *
 * <p>All records are immutable values except that {@code byte[]} fields are shared, not copied: a
 * caller must not mutate an array after handing it to a record. Absent strings are {@code ""}, absent
 * byte arrays are {@code null} (in JSON a publication's {@code data} is raw JSON, so {@code null} and an
 * empty array differ), absent maps and lists are empty, never {@code null}.
 */
package dev.weft.protocol.model;
