package dev.weft.yjs.lib0;

import java.util.Arrays;

/**
 * Writes lib0-encoded values into a growing byte array (lib0's {@code encoding} module), byte-for-byte as
 * lib0 does. Not thread-safe.
 */
public final class Lib0Writer {
  private byte[] buffer;
  private int size;

  public Lib0Writer() {
    this(64);
  }

  public Lib0Writer(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  public Lib0Writer writeUint8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
    return this;
  }

  /** varUint: 7 bits per byte, low group first, high bit = more follows. */
  public Lib0Writer writeVarUint(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varUint must not be negative: " + value);
    }
    ensure(10);
    while (value > 0x7f) {
      buffer[size++] = (byte) (0x80 | (value & 0x7f));
      value >>>= 7;
    }
    buffer[size++] = (byte) value;
    return this;
  }

  public Lib0Writer writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  public Lib0Writer writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
    return this;
  }

  public Lib0Writer writeVarUint8Array(byte[] bytes) {
    writeVarUint(bytes.length);
    return writeBytes(bytes);
  }

  /** varString as lib0 writes it with TextEncoder: UTF-8, a lone surrogate becomes U+FFFD (EF BF BD). */
  public Lib0Writer writeVarString(String value) {
    writeVarUint(utf8Length(value));
    ensure(value.length() * 3);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        buffer[size++] = (byte) c;
      } else if (c < 0x800) {
        buffer[size++] = (byte) (0xc0 | (c >> 6));
        buffer[size++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        buffer[size++] = (byte) (0xf0 | (cp >> 18));
        buffer[size++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buffer[size++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buffer[size++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        char unit = Character.isSurrogate(c) ? '\uFFFD' : c;
        buffer[size++] = (byte) (0xe0 | (unit >> 12));
        buffer[size++] = (byte) (0x80 | ((unit >> 6) & 0x3f));
        buffer[size++] = (byte) (0x80 | (unit & 0x3f));
      }
    }
    return this;
  }

  private static int utf8Length(String value) {
    int length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }
}
