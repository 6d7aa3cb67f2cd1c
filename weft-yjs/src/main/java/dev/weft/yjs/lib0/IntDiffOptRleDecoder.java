package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;

/** Reads what {@link IntDiffOptRleEncoder} writes. Not thread-safe. */
public final class IntDiffOptRleDecoder {
  private final Lib0Reader in;
  private long value;
  private long count;
  private long diff;

  public IntDiffOptRleDecoder(Lib0Reader in) {
    this.in = in;
  }

  public long read() throws YjsFormatException {
    if (count == 0) {
      long encoded = (long) in.readVarInt();
      diff = Math.floorDiv(encoded, 2);
      count = 1;
      if ((encoded & 1) != 0) {
        count = in.readVarUint() + 2;
      }
    }
    value += diff;
    count--;
    return value;
  }
}
