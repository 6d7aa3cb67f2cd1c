package dev.weft.yjs.lib0;

/**
 * lib0's {@code UintOptRleEncoder}: runs of equal unsigned values. A single value is a positive varInt; a
 * run is the value with the sign bit set (so a run of zeros is {@code -0}) followed by a varUint of
 * length - 2. Not thread-safe.
 */
public final class UintOptRleEncoder {
  private final Lib0Writer out = new Lib0Writer();
  private long value;
  private long count;

  public void write(long v) {
    if (value == v) {
      count++;
    } else {
      flush();
      count = 1;
      value = v;
    }
  }

  private void flush() {
    if (count > 0) {
      out.writeVarInt(value, count > 1); // a run of zeros is -0
      if (count > 1) {
        out.writeVarUint(count - 2);
      }
    }
  }

  /** Flushes the pending run and returns everything written; call once. */
  public byte[] toByteArray() {
    flush();
    return out.toByteArray();
  }
}
