package dev.weft.yjs.lib0;

/**
 * lib0's {@code RleEncoder} with {@code writeUint8}: each run is the byte, then (once the next different
 * byte comes) a varUint of length - 1. The last run's length is never written: readers repeat the last
 * byte for ever. Not thread-safe.
 */
public final class RleUint8Encoder {
  private final Lib0Writer out = new Lib0Writer();
  private int value = -1;
  private long count;

  public void write(int v) {
    if (value == v) {
      count++;
    } else {
      if (count > 0) {
        out.writeVarUint(count - 1);
      }
      count = 1;
      out.writeUint8(v);
      value = v;
    }
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
