package dev.weft.yjs.update;

import java.util.Arrays;

/** Ref 3: one Uint8Array element. */
public record ContentBinary(byte[] value) implements UnitContent {
  public static final int REF = 3;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeBuf(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentBinary b && Arrays.equals(b.value, value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "ContentBinary" + Arrays.toString(value);
  }
}
