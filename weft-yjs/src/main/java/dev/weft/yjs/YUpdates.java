package dev.weft.yjs;

import dev.weft.yjs.update.UpdateFormat;
import dev.weft.yjs.update.UpdateMeta;
import dev.weft.yjs.update.Updates;
import java.util.List;

/**
 * Update-level operations on encoded Yjs updates, as the {@code yjs} package defines them:
 * {@code mergeUpdates}, {@code diffUpdate}, {@code encodeStateVectorFromUpdate}, {@code parseUpdateMeta},
 * their {@code *V2} forms and {@code convertUpdateFormatV1ToV2}/{@code V2ToV1}. Every result is
 * byte-for-byte what {@code yjs} 13.6 produces for the same input; none builds a document. Malformed
 * input throws {@link YjsFormatException} and nothing else. Thread-safe (stateless).
 *
 * <p>Where yjs itself would only misbehave, the readers refuse instead: varUints above 2^53 - 1 (which
 * JavaScript cannot hold exactly), malformed UTF-8 (yjs's TextDecoder is fatal too), unknown content or
 * type refs, {@code any} values nested deeper than 1000, column values read past their end (v2), and
 * more than 64 structs or elements per byte of a v2 update (plus 65 536): v2's run-length columns can
 * repeat a value for free, so the budget is what bounds the work a small forged update can cause.
 */
public final class YUpdates {
  private YUpdates() {}

  /**
   * {@code Y.mergeUpdates}: one update holding everything in {@code updates}. Like yjs, a list of one
   * update returns that same array, unchecked.
   */
  public static byte[] merge(List<byte[]> updates) throws YjsFormatException {
    return Updates.merge(updates, UpdateFormat.V1);
  }

  /** {@code Y.diffUpdate}: the part of {@code update} that a peer with {@code stateVector} lacks. */
  public static byte[] diff(byte[] update, byte[] stateVector) throws YjsFormatException {
    return Updates.diff(update, stateVector, UpdateFormat.V1);
  }

  /** {@code Y.encodeStateVectorFromUpdate}. */
  public static byte[] stateVector(byte[] update) throws YjsFormatException {
    return Updates.stateVector(update, UpdateFormat.V1);
  }

  /** {@code Y.parseUpdateMeta}: first and end clock per client. */
  public static UpdateMeta parseMeta(byte[] update) throws YjsFormatException {
    return Updates.meta(update, UpdateFormat.V1);
  }

  /** {@code Y.mergeUpdatesV2}. */
  public static byte[] mergeV2(List<byte[]> updates) throws YjsFormatException {
    return Updates.merge(updates, UpdateFormat.V2);
  }

  /** {@code Y.diffUpdateV2} (the state vector is in the one layout yjs has for it). */
  public static byte[] diffV2(byte[] update, byte[] stateVector) throws YjsFormatException {
    return Updates.diff(update, stateVector, UpdateFormat.V2);
  }

  /** {@code Y.encodeStateVectorFromUpdateV2}. */
  public static byte[] stateVectorV2(byte[] update) throws YjsFormatException {
    return Updates.stateVector(update, UpdateFormat.V2);
  }

  /** {@code Y.parseUpdateMetaV2}. */
  public static UpdateMeta parseMetaV2(byte[] update) throws YjsFormatException {
    return Updates.meta(update, UpdateFormat.V2);
  }

  /** {@code Y.convertUpdateFormatV1ToV2}. */
  public static byte[] v1ToV2(byte[] update) throws YjsFormatException {
    return Updates.convert(update, UpdateFormat.V1, UpdateFormat.V2);
  }

  /** {@code Y.convertUpdateFormatV2ToV1}. */
  public static byte[] v2ToV1(byte[] update) throws YjsFormatException {
    return Updates.convert(update, UpdateFormat.V2, UpdateFormat.V1);
  }
}
