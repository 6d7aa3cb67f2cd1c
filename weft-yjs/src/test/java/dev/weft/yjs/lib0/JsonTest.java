package dev.weft.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** JSON.parse / JSON.stringify semantics, expected strings as Node 20 prints them. */
class JsonTest {
  @Test
  void numbersFormatAsJavaScriptDoes() {
    assertThat(Json.numberToString(100)).isEqualTo("100");
    assertThat(Json.numberToString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(Json.numberToString(1e21)).isEqualTo("1e+21");
    assertThat(Json.numberToString(123456789012345680000.0)).isEqualTo("123456789012345680000");
    assertThat(Json.numberToString(0.000001)).isEqualTo("0.000001");
    assertThat(Json.numberToString(1e-7)).isEqualTo("1e-7");
    assertThat(Json.numberToString(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(Json.numberToString(-0.0)).isEqualTo("0");
    assertThat(Json.numberToString(-2.5)).isEqualTo("-2.5");
    assertThat(Json.numberToString(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(Json.numberToString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(Json.numberToString(9007199254740992.0)).isEqualTo("9007199254740992");
    assertThat(Json.numberToString(12.25)).isEqualTo("12.25");
  }

  @Test
  void stringifyFollowsJavaScript() throws Json.JsonException {
    Map<String, Any> obj = new LinkedHashMap<>();
    obj.put("a", Any.UNDEFINED);
    obj.put("b", new Any.Arr(List.of(Any.UNDEFINED, new Any.Num(Double.NaN), new Any.Num(-0.0))));
    obj.put("c", new Any.Str("q\"\\\n\u0001\uD800😀"));
    obj.put("d", new Any.Bytes(new byte[] {1, (byte) 255}));
    assertThat(Json.stringify(new Any.Obj(obj)))
        .isEqualTo("{\"b\":[null,null,0],\"c\":\"q\\\"\\\\\\n\\u0001\\ud800😀\",\"d\":{\"0\":1,\"1\":255}}");
    assertThatThrownBy(() -> Json.stringify(new Any.BigInt(1))).isInstanceOf(Json.JsonException.class);
    assertThatThrownBy(() -> Json.stringify(Any.UNDEFINED)).isInstanceOf(Json.JsonException.class);
  }

  @Test
  void parseFollowsJavaScript() throws Json.JsonException {
    Any parsed = Json.parse(" {\"z\":1,\"2\":[true,false,null,-0,1e2,\"\\u00e9\\/\"],\"z\":3,\"__proto__\":4} ");
    Map<String, Any> expected = new LinkedHashMap<>();
    expected.put("2", new Any.Arr(List.of(Any.TRUE, Any.FALSE, Any.NULL, new Any.Num(-0.0), new Any.Num(100),
        new Any.Str("é/"))));
    expected.put("z", new Any.Num(3));
    expected.put("__proto__", new Any.Num(4));
    assertThat(parsed).isEqualTo(new Any.Obj(expected));
    for (String bad : List.of("", "{", "[1,]", "01", "1.", "\"\\x\"", "tru", "{\"a\" 1}", "1 2", "\"\u0001\"")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.JsonException.class);
    }
  }

  @Property
  void finiteNumbersSurviveStringifyAndParse(@ForAll double value) throws Json.JsonException {
    if (Double.isFinite(value)) {
      double back = ((Any.Num) Json.parse(Json.numberToString(value))).value();
      assertThat(back).isEqualTo(value == 0 ? 0.0 : value);
    }
  }
}
