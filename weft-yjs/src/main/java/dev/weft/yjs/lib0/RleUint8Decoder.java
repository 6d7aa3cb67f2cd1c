package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;

/** Reads what {@link RleUint8Encoder} writes; after the last run's byte it returns that byte for ever. */
public final class RleUint8Decoder {
  private final Lib0Reader in;
  private int value;
  private long count;

  public RleUint8Decoder(Lib0Reader in) {
    this.in = in;
  }

  public int read() throws YjsFormatException {
    if (count == 0) {
      value = in.readUint8();
      count = in.hasRemaining() ? in.readVarUint() + 1 : -1;
    }
    count--;
    return value;
  }
}
