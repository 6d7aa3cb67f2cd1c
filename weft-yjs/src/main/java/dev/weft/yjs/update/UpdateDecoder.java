package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.Lib0Reader;

/**
 * Reads the fields of an encoded update, one method per field kind, as yjs's {@code UpdateDecoderV1/V2}
 * do: v1 reads everything from one stream, v2 from separate run-length-encoded columns. Not thread-safe.
 */
public interface UpdateDecoder {
  /** The stream read in both formats: counts, start clocks, the delete set, any/binary payloads. */
  Lib0Reader rest();

  ID readLeftId() throws YjsFormatException;

  ID readRightId() throws YjsFormatException;

  long readClient() throws YjsFormatException;

  int readInfo() throws YjsFormatException;

  String readString() throws YjsFormatException;

  /** True when the parent is a root type named by a string, false when it is an item id. */
  boolean readParentInfo() throws YjsFormatException;

  int readTypeRef() throws YjsFormatException;

  long readLen() throws YjsFormatException;

  Any readAny() throws YjsFormatException;

  byte[] readBuf() throws YjsFormatException;

  /** An embed or format value (v1 stores JSON text, v2 an {@code any}). */
  JsonValue readJson() throws YjsFormatException;

  String readKey() throws YjsFormatException;

  /**
   * Counts {@code units} of work (structs, array elements) against what the input can hold, and refuses
   * more: in v1 every unit takes at least a byte of what is left; in v2, whose columns can repeat a value
   * for free, the input gets a fixed budget in proportion to its size. Called before allocating or
   * looping, so a forged count never costs memory or time.
   *
   * @param at the offset to report
   */
  void charge(long units, int at) throws YjsFormatException;

  void resetDsCurVal();

  long readDsClock() throws YjsFormatException;

  long readDsLen() throws YjsFormatException;
}
