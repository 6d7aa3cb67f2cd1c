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

  /** An embed or format value as JSON text (v1 stores JSON text, v2 an {@code any} turned into JSON). */
  String readJson() throws YjsFormatException;

  String readKey() throws YjsFormatException;

  /**
   * An upper bound on the array elements (any values, JSON texts) still readable; a count above it is
   * malformed, which lets readers refuse it before allocating.
   */
  int elementBudget();

  void resetDsCurVal();

  long readDsClock() throws YjsFormatException;

  long readDsLen() throws YjsFormatException;
}
