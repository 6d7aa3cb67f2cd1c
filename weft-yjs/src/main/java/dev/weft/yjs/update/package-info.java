/**
 * Yjs updates without a document: {@link dev.weft.yjs.update.Struct}s ({@code GC}, {@code Skip},
 * {@code Item} with one {@link dev.weft.yjs.update.Content} class per content ref), the
 * {@link dev.weft.yjs.update.DeleteSet}, state vectors, the field-level
 * {@link dev.weft.yjs.update.UpdateDecoder}/{@link dev.weft.yjs.update.UpdateEncoder} for formats v1 and
 * v2, lazy struct readers/writers, and {@link dev.weft.yjs.update.Updates} with yjs's update-level
 * functions over them.
 */
package dev.weft.yjs.update;
