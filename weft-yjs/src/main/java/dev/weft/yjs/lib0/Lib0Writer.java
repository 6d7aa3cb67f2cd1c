package dev.weft.yjs.lib0;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

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

  /** The backing array; only the first {@link #size()} bytes are written. */
  public byte[] buffer() {
    return buffer;
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

  /**
   * A varInt as lib0 writes a JavaScript number: continuation bit, sign bit, 6 value bits, then 7 bits a
   * byte. {@code -0.0} keeps its sign bit. The value must be an integer of magnitude at most 2^53 - 1.
   */
  public Lib0Writer writeVarInt(double value) {
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    long magnitude = (long) Math.abs(value);
    if (magnitude != Math.abs(value) || magnitude > Lib0Reader.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("varInt must be a safe integer: " + value);
    }
    return writeVarInt(magnitude, negative);
  }

  /**
   * A varInt from sign and magnitude (any {@code long} magnitude; run-length encoders double clock
   * differences, which can pass 2^53 in forged input).
   */
  public Lib0Writer writeVarInt(long magnitude, boolean negative) {
    ensure(10);
    buffer[size++] = (byte) ((Long.compareUnsigned(magnitude, 0x3f) > 0 ? 0x80 : 0) | (negative ? 0x40 : 0)
        | (magnitude & 0x3f));
    magnitude >>>= 6;
    while (magnitude != 0) {
      buffer[size++] = (byte) ((Long.compareUnsigned(magnitude, 0x7f) > 0 ? 0x80 : 0) | (magnitude & 0x7f));
      magnitude >>>= 7;
    }
    return this;
  }

  public Lib0Writer writeFloat32(float value) {
    return writeBigEndian(Float.floatToIntBits(value), 4);
  }

  public Lib0Writer writeFloat64(double value) {
    return writeBigEndian(Double.doubleToLongBits(value), 8);
  }

  public Lib0Writer writeBigInt64(long value) {
    return writeBigEndian(value, 8);
  }

  private Lib0Writer writeBigEndian(long value, int size) {
    ensure(size);
    for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) {
      buffer[this.size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** lib0's {@code writeAny}: the tag follows from the value (see {@link Any.Num} for numbers). */
  public Lib0Writer writeAny(Any value) {
    switch (value) {
      case Any.Undefined u -> writeUint8(127);
      case Any.Null n -> writeUint8(126);
      case Any.Num num -> writeNumber(num.value());
      case Any.BigInt big -> writeUint8(122).writeBigInt64(big.value());
      case Any.Bool bool -> writeUint8(bool.value() ? 120 : 121);
      case Any.Str str -> writeUint8(119).writeVarString(str.value());
      case Any.Obj obj -> {
        writeUint8(118).writeVarUint(obj.entries().size());
        for (Map.Entry<String, Any> entry : obj.entries().entrySet()) {
          writeVarString(entry.getKey());
          writeAny(entry.getValue());
        }
      }
      case Any.Arr arr -> {
        List<Any> items = arr.items();
        writeUint8(117).writeVarUint(items.size());
        for (Any item : items) {
          writeAny(item);
        }
      }
      case Any.Bytes bytes -> writeUint8(116).writeVarUint8Array(bytes.value());
    }
    return this;
  }

  private void writeNumber(double value) {
    if (value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE) {
      writeUint8(125).writeVarInt(value);
    } else if ((double) (float) value == value) {
      writeUint8(124).writeFloat32((float) value);
    } else {
      writeUint8(123).writeFloat64(value);
    }
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
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) copies ASCII without an intermediate array
  public Lib0Writer writeVarString(String value) {
    int length = value.length();
    if (isAscii(value)) {
      writeVarUint(length);
      ensure(length);
      value.getBytes(0, length, buffer, size);
      size += length;
      return this;
    }
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

  private static boolean isAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
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
