/**
 * lib0's binary encodings as yjs uses them: varUint, varInt (with its sign bit, so −0 exists), UTF-8
 * varString with TextEncoder/fatal TextDecoder semantics, float32/64 and bigint64 big-endian, the tagged
 * {@link dev.weft.yjs.lib0.Any} values, JSON as JavaScript parses and prints it, and the run-length
 * column codecs of update v2. Readers check every length against the bytes left before allocating.
 */
package dev.weft.yjs.lib0;
