/**
 * Pure-Java Yjs, no dependencies beyond the JDK. {@link dev.weft.yjs.YUpdates} is the entry point for
 * servers: yjs's update-level functions ({@code mergeUpdates}, {@code diffUpdate},
 * {@code encodeStateVectorFromUpdate}, {@code parseUpdateMeta}, their v2 forms and the v1↔v2
 * conversions), each giving the bytes yjs 13.6 gives. Every decoder throws only
 * {@link dev.weft.yjs.YjsFormatException} (with the byte offset) for bad input.
 *
 * <p>Layers: {@link dev.weft.yjs.lib0} (lib0's encodings) → {@link dev.weft.yjs.update} (structs,
 * contents, delete sets, the v1/v2 codecs, lazy readers and writers, merge/diff) → this facade. The
 * document model (YATA integration, shared types, garbage collection) is not built yet; it belongs on top
 * of {@code update}'s {@code Item}/{@code Content} and decoder API, as yjs's {@code Doc} sits on the same
 * decoders.
 */
package dev.weft.yjs;
