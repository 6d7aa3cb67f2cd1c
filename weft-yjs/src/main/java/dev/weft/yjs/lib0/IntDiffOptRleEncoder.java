package dev.weft.yjs.lib0;

/**
 * lib0's {@code IntDiffOptRleEncoder}: runs of equal differences between consecutive values. Each run is a
 * varInt of {@code diff * 2 + (run longer than 1 ? 1 : 0)}, then for a longer run a varUint of length - 2.
 * Not thread-safe.
 */
public final class IntDiffOptRleEncoder {
  private final Lib0Writer out = new Lib0Writer();
  private long value;
  private long count;
  private long diff;

  public void write(long v) {
    if (diff == v - value) {
      value = v;
      count++;
    } else {
      flush();
      count = 1;
      diff = v - value;
      value = v;
    }
  }

  private void flush() {
    if (count > 0) {
      long encoded = diff * 2 + (count == 1 ? 0 : 1);
      out.writeVarInt(Math.abs(encoded), encoded < 0);
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
