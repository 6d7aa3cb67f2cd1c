package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads lib0-encoded values from a byte array (lib0's {@code decoding} module). Every read checks bounds
 * and throws {@link YjsFormatException} with the offset instead of reading past the end; a length prefix
 * is checked against the bytes left before anything is allocated. Not thread-safe.
 */
public final class Lib0Reader {
  /** JavaScript's Number.MAX_SAFE_INTEGER: larger varUints are refused (JavaScript would lose precision). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** Deepest nesting of {@code any} arrays/objects read; deeper input is refused rather than overflowing the stack. */
  public static final int MAX_ANY_DEPTH = 1_000;

  private final byte[] bytes;
  private final int end;
  private int position;
  private CharsetDecoder strictUtf8;

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

  /**
   * A varUint: 7 bits per byte, low group first. Like lib0, overlong encodings (trailing {@code 0x80}
   * groups) are accepted; values above 2^53 - 1 are refused.
   */
  public long readVarUint() throws YjsFormatException {
    int start = position;
    long value = 0;
    int shift = 0;
    while (true) {
      int b = readUint8();
      long group = b & 0x7f;
      if (group != 0) {
        if (shift > 52 || (group << shift) > MAX_SAFE_INTEGER - value) {
          throw new YjsFormatException("varUint out of range", start);
        }
        value += group << shift;
      }
      if (b < 0x80) {
        return value;
      }
      shift += 7;
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
    long length = readVarUint();
    if (length > remaining()) {
      throw new YjsFormatException("length " + length + " exceeds the " + remaining() + " bytes left", start);
    }
    return (int) length;
  }

  /**
   * A varInt as lib0 reads it into a JavaScript number: the first byte holds a continuation bit, a sign
   * bit and 6 value bits. A set sign bit with magnitude 0 gives {@code -0.0}, which the update v2 run-length
   * encoders use as a marker.
   */
  public double readVarInt() throws YjsFormatException {
    int start = position;
    int b = readUint8();
    long magnitude = b & 0x3f;
    boolean negative = (b & 0x40) != 0;
    int shift = 6;
    while ((b & 0x80) != 0) {
      b = readUint8();
      long group = b & 0x7f;
      if (group != 0) {
        if (shift > 52 || (group << shift) > MAX_SAFE_INTEGER - magnitude) {
          throw new YjsFormatException("varInt out of range", start);
        }
        magnitude += group << shift;
      }
      shift += 7;
    }
    return negative ? -(double) magnitude : (double) magnitude;
  }

  public byte[] readBytes(int length) throws YjsFormatException {
    if (length < 0 || length > remaining()) {
      throw new YjsFormatException("need " + length + " bytes, " + remaining() + " left", position);
    }
    byte[] out = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return out;
  }

  /** Moves past {@code length} bytes without copying them. */
  public void skip(int length) throws YjsFormatException {
    if (length < 0 || length > remaining()) {
      throw new YjsFormatException("need " + length + " bytes, " + remaining() + " left", position);
    }
    position += length;
  }

  public byte[] readVarUint8Array() throws YjsFormatException {
    return readBytes(readLength());
  }

  /**
   * A varString: UTF-8 bytes decoded as lib0 does with {@code TextDecoder('utf-8', {fatal: true,
   * ignoreBOM: true})}: malformed UTF-8 is an error, a leading BOM is kept.
   */
  public String readVarString() throws YjsFormatException {
    int start = position;
    int length = readLength();
    String value = new String(bytes, position, length, StandardCharsets.UTF_8);
    // The lenient decoder above is fast; only a U+FFFD in its result can mean malformed input.
    if (value.indexOf('\uFFFD') >= 0) {
      value = decodeStrict(position, length, start);
    }
    position += length;
    return value;
  }

  private String decodeStrict(int offset, int length, int start) throws YjsFormatException {
    if (strictUtf8 == null) {
      strictUtf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    try {
      CharBuffer chars = strictUtf8.reset().decode(ByteBuffer.wrap(bytes, offset, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new YjsFormatException("malformed UTF-8 in string", start);
    }
  }

  public float readFloat32() throws YjsFormatException {
    return Float.intBitsToFloat((int) readBigEndian(4));
  }

  public double readFloat64() throws YjsFormatException {
    return Double.longBitsToDouble(readBigEndian(8));
  }

  public long readBigInt64() throws YjsFormatException {
    return readBigEndian(8);
  }

  private long readBigEndian(int size) throws YjsFormatException {
    if (remaining() < size) {
      throw new YjsFormatException("need " + size + " bytes, " + remaining() + " left", position);
    }
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | (bytes[position++] & 0xff);
    }
    return value;
  }

  /** lib0's {@code readAny}: one tagged value (tags 116–127). */
  public Any readAny() throws YjsFormatException {
    return readAny(0);
  }

  private Any readAny(int depth) throws YjsFormatException {
    int start = position;
    int tag = readUint8();
    return switch (tag) {
      case 127 -> Any.UNDEFINED;
      case 126 -> Any.NULL;
      case 125 -> new Any.Num(readVarInt());
      case 124 -> new Any.Num(readFloat32());
      case 123 -> new Any.Num(readFloat64());
      case 122 -> new Any.BigInt(readBigInt64());
      case 121 -> Any.FALSE;
      case 120 -> Any.TRUE;
      case 119 -> new Any.Str(readVarString());
      case 118 -> readObject(depth, start);
      case 117 -> readArray(depth, start);
      case 116 -> new Any.Bytes(readVarUint8Array());
      default -> throw new YjsFormatException("unknown any tag " + tag, start);
    };
  }

  private Any readArray(int depth, int start) throws YjsFormatException {
    if (depth >= MAX_ANY_DEPTH) {
      throw new YjsFormatException("any nested deeper than " + MAX_ANY_DEPTH, start);
    }
    int length = readLength();
    List<Any> items = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      items.add(readAny(depth + 1));
    }
    return new Any.Arr(items);
  }

  /** Builds the object as JavaScript's {@code obj[key] = value} would: see {@link JsObjectKeys}. */
  private Any readObject(int depth, int start) throws YjsFormatException {
    if (depth >= MAX_ANY_DEPTH) {
      throw new YjsFormatException("any nested deeper than " + MAX_ANY_DEPTH, start);
    }
    int length = readLength();
    Map<String, Any> entries = new LinkedHashMap<>();
    for (int i = 0; i < length; i++) {
      String key = readVarString();
      Any value = readAny(depth + 1);
      JsObjectKeys.assign(entries, key, value);
    }
    return new Any.Obj(JsObjectKeys.inPropertyOrder(entries));
  }
}
