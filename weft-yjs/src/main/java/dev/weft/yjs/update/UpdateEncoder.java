package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.Lib0Writer;

/**
 * Writes the fields of an update, as yjs's {@code UpdateEncoderV1/V2} do. The rest stream can be swapped
 * out ({@link #takeRest()}) so that structs can be written per client before the client count is known.
 * Not thread-safe.
 */
public interface UpdateEncoder {
  Lib0Writer rest();

  /** Returns the rest stream written so far and starts a fresh one. */
  Lib0Writer takeRest();

  void writeLeftId(long client, long clock);

  void writeRightId(long client, long clock);

  void writeClient(long client);

  void writeInfo(int info);

  void writeString(String value);

  void writeParentInfo(boolean isYKey);

  void writeTypeRef(int typeRef);

  void writeLen(long length);

  void writeAny(Any value);

  void writeBuf(byte[] value);

  /** An embed or format value. */
  void writeJson(JsonValue value);

  void writeKey(String key);

  void resetDsCurVal();

  void writeDsClock(long clock);

  void writeDsLen(long length);

  byte[] toByteArray();
}
