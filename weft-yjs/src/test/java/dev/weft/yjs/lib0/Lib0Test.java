package dev.weft.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.yjs.YjsFormatException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** lib0 encodings, with expected bytes taken from lib0 0.2.120's encoding.js. */
class Lib0Test {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  @Test
  void varUintUsesSevenBitGroupsLowFirst() throws YjsFormatException {
    assertThat(new Lib0Writer().writeVarUint(0).toByteArray()).isEqualTo(hex("00"));
    assertThat(new Lib0Writer().writeVarUint(127).toByteArray()).isEqualTo(hex("7f"));
    assertThat(new Lib0Writer().writeVarUint(128).toByteArray()).isEqualTo(hex("8001"));
    assertThat(new Lib0Writer().writeVarUint(300).toByteArray()).isEqualTo(hex("ac02"));
    assertThat(new Lib0Writer().writeVarUint(Lib0Reader.MAX_SAFE_INTEGER).toByteArray())
        .isEqualTo(hex("ffffffffffffff0f"));
    assertThat(new Lib0Reader(hex("ffffffffffffff0f")).readVarUint()).isEqualTo(Lib0Reader.MAX_SAFE_INTEGER);
  }

  @Test
  void varUintAcceptsOverlongZeroGroupsButNotValuesBeyondSafeIntegers() throws YjsFormatException {
    assertThat(new Lib0Reader(hex("8180808000")).readVarUint()).isEqualTo(1);
    assertThatThrownBy(() -> new Lib0Reader(hex("ffffffffffffff1f")).readVarUint())
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("at byte 0");
    assertThatThrownBy(() -> new Lib0Reader(hex("8080")).readVarUint())
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("end of data at byte 2");
  }

  @Test
  void varIntHasASignBitAndKeepsNegativeZero() throws YjsFormatException {
    assertThat(new Lib0Writer().writeVarInt(0).toByteArray()).isEqualTo(hex("00"));
    assertThat(new Lib0Writer().writeVarInt(-0.0).toByteArray()).isEqualTo(hex("40"));
    assertThat(new Lib0Writer().writeVarInt(63).toByteArray()).isEqualTo(hex("3f"));
    assertThat(new Lib0Writer().writeVarInt(64).toByteArray()).isEqualTo(hex("8001"));
    assertThat(new Lib0Writer().writeVarInt(-1).toByteArray()).isEqualTo(hex("41"));
    assertThat(new Lib0Writer().writeVarInt(-64).toByteArray()).isEqualTo(hex("c001"));
    double negativeZero = new Lib0Reader(hex("40")).readVarInt();
    assertThat(Double.doubleToRawLongBits(negativeZero)).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Property
  void varIntRoundTrips(@ForAll @LongRange(min = -Lib0Reader.MAX_SAFE_INTEGER, max = Lib0Reader.MAX_SAFE_INTEGER) long value)
      throws YjsFormatException {
    byte[] bytes = new Lib0Writer().writeVarInt(value).toByteArray();
    assertThat(new Lib0Reader(bytes).readVarInt()).isEqualTo((double) value);
  }

  @Property
  void varUintRoundTrips(@ForAll @LongRange(min = 0, max = Lib0Reader.MAX_SAFE_INTEGER) long value)
      throws YjsFormatException {
    Lib0Reader reader = new Lib0Reader(new Lib0Writer().writeVarUint(value).toByteArray());
    assertThat(reader.readVarUint()).isEqualTo(value);
    assertThat(reader.hasRemaining()).isFalse();
  }

  @Property
  void stringsRoundTripAsUtf8(@ForAll String value) throws YjsFormatException {
    String wellFormed = replaceLoneSurrogates(value);
    byte[] bytes = new Lib0Writer().writeVarString(value).toByteArray();
    assertThat(new Lib0Reader(bytes).readVarString()).isEqualTo(wellFormed);
  }

  /** TextEncoder turns each lone surrogate into U+FFFD. */
  private static String replaceLoneSurrogates(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  @Test
  void stringsAreUtf8WithTextEncoderSemantics() throws YjsFormatException {
    assertThat(new Lib0Writer().writeVarString("é😀").toByteArray()).isEqualTo(hex("06c3a9f09f9880"));
    assertThat(new Lib0Writer().writeVarString("a\uD83D").toByteArray()).isEqualTo(hex("0461efbfbd"));
    assertThat(new Lib0Reader(hex("03efbbbf")).readVarString()).isEqualTo("\uFEFF"); // BOM kept
    assertThat(new Lib0Reader(hex("03efbfbd")).readVarString()).isEqualTo("\uFFFD"); // a real U+FFFD
    assertThatThrownBy(() -> new Lib0Reader(hex("02c328")).readVarString())
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("malformed UTF-8 in string at byte 0");
    assertThatThrownBy(() -> new Lib0Reader(hex("05616263")).readVarString())
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("exceeds");
  }

  @Test
  void floatsAndBigIntsAreBigEndian() throws YjsFormatException {
    assertThat(new Lib0Writer().writeFloat32(1.5f).toByteArray()).isEqualTo(hex("3fc00000"));
    assertThat(new Lib0Writer().writeFloat64(0.1).toByteArray()).isEqualTo(hex("3fb999999999999a"));
    assertThat(new Lib0Writer().writeBigInt64(-2).toByteArray()).isEqualTo(hex("fffffffffffffffe"));
    Lib0Reader reader = new Lib0Reader(hex("3fc000003fb999999999999afffffffffffffffe"));
    assertThat(reader.readFloat32()).isEqualTo(1.5f);
    assertThat(reader.readFloat64()).isEqualTo(0.1);
    assertThat(reader.readBigInt64()).isEqualTo(-2);
  }

  @Test
  void anyChoosesTheTagFromTheValueAsLib0Does() {
    assertThat(any(Any.UNDEFINED)).isEqualTo(hex("7f"));
    assertThat(any(Any.NULL)).isEqualTo(hex("7e"));
    assertThat(any(new Any.Num(42))).isEqualTo(hex("7d2a"));
    assertThat(any(new Any.Num(-0.0))).isEqualTo(hex("7d40"));
    assertThat(any(new Any.Num(2147483647))).isEqualTo(hex("7dbfffffff0f"));
    assertThat(any(new Any.Num(2147483648.0))).isEqualTo(hex("7c4f000000")); // beyond 31 bits: float32
    assertThat(any(new Any.Num(1.5))).isEqualTo(hex("7c3fc00000"));
    assertThat(any(new Any.Num(0.1))).isEqualTo(hex("7b3fb999999999999a"));
    assertThat(any(new Any.Num(Double.NaN))).isEqualTo(hex("7b7ff8000000000000"));
    assertThat(any(new Any.Num(Double.POSITIVE_INFINITY))).isEqualTo(hex("7c7f800000"));
    assertThat(any(new Any.BigInt(1))).isEqualTo(hex("7a0000000000000001"));
    assertThat(any(Any.FALSE)).isEqualTo(hex("79"));
    assertThat(any(Any.TRUE)).isEqualTo(hex("78"));
    assertThat(any(new Any.Str("hi"))).isEqualTo(hex("77026869"));
    assertThat(any(new Any.Obj(Map.of("a", Any.NULL)))).isEqualTo(hex("760101617e"));
    assertThat(any(new Any.Arr(List.of(Any.TRUE, Any.FALSE)))).isEqualTo(hex("75027879"));
    assertThat(any(new Any.Bytes(new byte[] {1, 2}))).isEqualTo(hex("74020102"));
  }

  @Test
  void anyReadsEveryTag() throws YjsFormatException {
    Lib0Reader reader = new Lib0Reader(hex("7f7e7d407c3fc000007b3fb999999999999a7a000000000000000179787702686976010161"
        + "7e750278797402010299"));
    assertThat(reader.readAny()).isEqualTo(Any.UNDEFINED);
    assertThat(reader.readAny()).isEqualTo(Any.NULL);
    assertThat(reader.readAny()).isEqualTo(new Any.Num(-0.0));
    assertThat(reader.readAny()).isEqualTo(new Any.Num(1.5));
    assertThat(reader.readAny()).isEqualTo(new Any.Num(0.1));
    assertThat(reader.readAny()).isEqualTo(new Any.BigInt(1));
    assertThat(reader.readAny()).isEqualTo(Any.FALSE);
    assertThat(reader.readAny()).isEqualTo(Any.TRUE);
    assertThat(reader.readAny()).isEqualTo(new Any.Str("hi"));
    assertThat(reader.readAny()).isEqualTo(new Any.Obj(Map.of("a", Any.NULL)));
    assertThat(reader.readAny()).isEqualTo(new Any.Arr(List.of(Any.TRUE, Any.FALSE)));
    assertThat(reader.readAny()).isEqualTo(new Any.Bytes(new byte[] {1, 2}));
    assertThatThrownBy(reader::readAny).isInstanceOf(YjsFormatException.class)
        .hasMessageContaining("unknown any tag 153");
  }

  @Test
  void objectsTakeJavaScriptKeyOrder() throws YjsFormatException {
    // {"b":1, "10":2, "2":3, "b":4, "__proto__":5, "01":6} as JavaScript builds it: {"2":3, "10":2, "b":4, "01":6}
    Lib0Writer w = new Lib0Writer().writeUint8(118).writeVarUint(6);
    w.writeVarString("b").writeAny(new Any.Num(1));
    w.writeVarString("10").writeAny(new Any.Num(2));
    w.writeVarString("2").writeAny(new Any.Num(3));
    w.writeVarString("b").writeAny(new Any.Num(4));
    w.writeVarString("__proto__").writeAny(new Any.Num(5));
    w.writeVarString("01").writeAny(new Any.Num(6));
    Any read = new Lib0Reader(w.toByteArray()).readAny();
    Map<String, Any> expected = new LinkedHashMap<>();
    expected.put("2", new Any.Num(3));
    expected.put("10", new Any.Num(2));
    expected.put("b", new Any.Num(4));
    expected.put("01", new Any.Num(6));
    assertThat(((Any.Obj) read).entries()).containsExactlyEntriesOf(expected);
  }

  @Test
  void deeplyNestedAnyIsRefusedNotAStackOverflow() {
    byte[] deep = new byte[200_000];
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = 117;
      deep[i + 1] = 1;
    }
    assertThatThrownBy(() -> new Lib0Reader(deep).readAny()).isInstanceOf(YjsFormatException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void hugeLengthPrefixesAreRefusedBeforeAllocating() {
    assertThatThrownBy(() -> new Lib0Reader(hex("75ffffffff0f")).readAny()).isInstanceOf(YjsFormatException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> new Lib0Reader(hex("ffffffffffffff0f")).readVarUint8Array())
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("at byte 0");
  }

  private static byte[] any(Any value) {
    return new Lib0Writer().writeAny(value).toByteArray();
  }
}
