package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;

/** Reads what {@link UintOptRleEncoder} writes. Not thread-safe. */
public final class UintOptRleDecoder {
  private final Lib0Reader in;
  private long value;
  private long count;

  public UintOptRleDecoder(Lib0Reader in) {
    this.in = in;
  }

  public long read() throws YjsFormatException {
    if (count == 0) {
      double v = in.readVarInt();
      value = (long) Math.abs(v);
      count = 1;
      if (Double.doubleToRawLongBits(v) < 0) { // negative, -0 included: a run length follows
        count = in.readVarUint() + 2;
      }
    }
    count--;
    return value;
  }

  public Lib0Reader reader() {
    return in;
  }
}
