package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lib0-encoded values from a byte array (lib0's {@code decoding} module). Every read checks bounds
 * and throws {@link YjsFormatException} with the offset instead of reading past the end; a length prefix
 * is checked against the bytes left before anything is allocated. Not thread-safe.
 */
public final class Lib0Reader {
  /** JavaScript's Number.MAX_SAFE_INTEGER: lib0 refuses larger varUints. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private final byte[] bytes;
  private final int end;
  private int position;

  public Lib0Reader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  public Lib0Reader(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + bytes.length);
    }
    this.bytes = bytes;
    this.position = offset;
    this.end = offset + length;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return end - position;
  }

  public boolean hasRemaining() {
    return position < end;
  }

  public int readUint8() throws YjsFormatException {
    if (position >= end) {
      throw new YjsFormatException("unexpected end of data", position);
    }
    return bytes[position++] & 0xff;
  }

  /** A varUint up to 2^53 - 1, as lib0 allows. */
  public long readVarUint() throws YjsFormatException {
    int start = position;
    long value = 0;
    int shift = 0;
    while (true) {
      int b = readUint8();
      if (shift <= 49) {
        value |= (long) (b & 0x7f) << shift;
      } else if ((b & 0x7f) != 0) {
        throw new YjsFormatException("varUint out of range", start);
      }
      if (value > MAX_SAFE_INTEGER) {
        throw new YjsFormatException("varUint out of range", start);
      }
      if (b < 0x80) {
        return value;
      }
      shift += 7;
      if (shift > 70) {
        throw new YjsFormatException("varUint too long", start);
      }
    }
  }

  /** A varUint used as a count or length, which must fit an int. */
  public int readVarUintAsInt() throws YjsFormatException {
    int start = position;
    long value = readVarUint();
    if (value > Integer.MAX_VALUE) {
      throw new YjsFormatException("length " + value + " too large", start);
    }
    return (int) value;
  }

  /** A varUint count or length that cannot exceed the bytes left (each element takes at least one byte). */
  public int readLength() throws YjsFormatException {
    int start = position;
    int length = readVarUintAsInt();
    if (length > remaining()) {
      throw new YjsFormatException("length " + length + " exceeds the " + remaining() + " bytes left", start);
    }
    return length;
  }

  public byte[] readBytes(int length) throws YjsFormatException {
    if (length < 0 || length > remaining()) {
      throw new YjsFormatException("need " + length + " bytes, " + remaining() + " left", position);
    }
    byte[] out = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return out;
  }

  public byte[] readVarUint8Array() throws YjsFormatException {
    return readBytes(readLength());
  }

  /** A varString: UTF-8 bytes; invalid sequences become U+FFFD as in TextDecoder. */
  public String readVarString() throws YjsFormatException {
    int length = readLength();
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }
}
