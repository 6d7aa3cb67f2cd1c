package dev.weft.yjs.lib0;

/**
 * lib0's {@code StringEncoder}: all strings concatenated into one varString, then their lengths in UTF-16
 * code units through a {@link UintOptRleEncoder}. Not thread-safe.
 */
public final class StringEncoder {
  private final StringBuilder strings = new StringBuilder();
  private final UintOptRleEncoder lengths = new UintOptRleEncoder();

  public void write(String value) {
    strings.append(value);
    lengths.write(value.length());
  }

  /** Call once. */
  public byte[] toByteArray() {
    Lib0Writer out = new Lib0Writer(strings.length() + 16);
    out.writeVarString(strings.toString());
    byte[] lens = lengths.toByteArray();
    out.writeBytes(lens);
    return out.toByteArray();
  }
}
