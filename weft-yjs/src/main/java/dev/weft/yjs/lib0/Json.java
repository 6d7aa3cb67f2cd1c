package dev.weft.yjs.lib0;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JavaScript's {@code JSON.parse} and {@code JSON.stringify} over {@link Any} values, for the embed and
 * format values that update v1 stores as JSON text and v2 as {@code any}. Numbers are formatted as
 * JavaScript's {@code Number.prototype.toString} does. Stateless.
 */
public final class Json {
  private Json() {}

  /** A value {@code JSON.parse}/{@code JSON.stringify} refuses (bad text, a BigInt, top-level undefined). */
  public static final class JsonException extends Exception {
    public JsonException(String message) {
      super(message);
    }
  }

  public static String stringify(Any value) throws JsonException {
    StringBuilder out = new StringBuilder();
    if (!append(out, value, 0)) {
      throw new JsonException("JSON.stringify gives undefined for " + value);
    }
    return out.toString();
  }

  /** Appends the JSON of {@code value}; false (nothing appended) where JSON.stringify skips it. */
  private static boolean append(StringBuilder out, Any value, int depth) throws JsonException {
    if (depth > Lib0Reader.MAX_ANY_DEPTH) {
      throw new JsonException("nested deeper than " + Lib0Reader.MAX_ANY_DEPTH);
    }
    switch (value) {
      case Any.Undefined u -> {
        return false;
      }
      case Any.Null n -> out.append("null");
      case Any.Bool b -> out.append(b.value());
      case Any.Num n -> out.append(Double.isFinite(n.value()) ? numberToString(n.value()) : "null");
      case Any.BigInt b -> throw new JsonException("JSON.stringify cannot serialize a BigInt");
      case Any.Str s -> quote(out, s.value());
      case Any.Arr arr -> {
        out.append('[');
        for (int i = 0; i < arr.items().size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!append(out, arr.items().get(i), depth + 1)) {
            out.append("null");
          }
        }
        out.append(']');
      }
      case Any.Obj obj -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Any> e : obj.entries().entrySet()) {
          int mark = out.length();
          if (!first) {
            out.append(',');
          }
          quote(out, e.getKey());
          out.append(':');
          if (append(out, e.getValue(), depth + 1)) {
            first = false;
          } else {
            out.setLength(mark);
          }
        }
        out.append('}');
      }
      case Any.Bytes bytes -> { // a Uint8Array stringifies as an object with index keys
        out.append('{');
        for (int i = 0; i < bytes.value().length; i++) {
          if (i > 0) {
            out.append(',');
          }
          out.append('"').append(i).append("\":").append(bytes.value()[i] & 0xff);
        }
        out.append('}');
      }
    }
    return true;
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean pairStart = Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
          if (c < 0x20 || (Character.isSurrogate(c) && !pairStart)) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (pairStart) {
            out.append(c).append(s.charAt(++i));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** ECMAScript Number::toString(10) for a finite double. */
  static String numberToString(double v) {
    if (v == 0) {
      return "0";
    }
    if (v < 0) {
      return "-" + numberToString(-v);
    }
    BigDecimal shortest = shortest(v);
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale();
    StringBuilder out = new StringBuilder();
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return out.toString();
  }

  /**
   * The shortest decimal that reads back as {@code v} (positive, finite). Double.toString gives it, except
   * that it never uses fewer than two digits: where one digit would do, JavaScript uses one.
   */
  private static BigDecimal shortest(double v) {
    BigDecimal printed = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    if (printed.precision() != 2) {
      return printed;
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal best = null;
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal candidate = printed.round(new MathContext(1, mode));
      if (Double.parseDouble(candidate.toString()) == v
          && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
        best = candidate;
      }
    }
    return best == null ? printed : best.stripTrailingZeros();
  }

  public static Any parse(String text) throws JsonException {
    Parser p = new Parser(text);
    p.skipWhitespace();
    Any value = p.value(0);
    p.skipWhitespace();
    if (p.at < text.length()) {
      throw new JsonException("unexpected text after JSON at " + p.at);
    }
    return value;
  }

  private static final class Parser {
    private final String s;
    private int at;

    Parser(String s) {
      this.s = s;
    }

    void skipWhitespace() {
      while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t' || s.charAt(at) == '\n'
          || s.charAt(at) == '\r')) {
        at++;
      }
    }

    private JsonException error(String what) {
      return new JsonException(what + " at " + at);
    }

    Any value(int depth) throws JsonException {
      if (depth > Lib0Reader.MAX_ANY_DEPTH) {
        throw error("nested deeper than " + Lib0Reader.MAX_ANY_DEPTH);
      }
      if (at >= s.length()) {
        throw error("unexpected end of JSON");
      }
      char c = s.charAt(at);
      switch (c) {
        case '{' -> {
          at++;
          Map<String, Any> entries = new LinkedHashMap<>();
          skipWhitespace();
          if (peek('}')) {
            at++;
            return new Any.Obj(entries);
          }
          while (true) {
            skipWhitespace();
            if (!peek('"')) {
              throw error("expected a key");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            entries.put(key, value(depth + 1)); // JSON.parse defines own properties, __proto__ too
            skipWhitespace();
            if (peek(',')) {
              at++;
            } else {
              expect('}');
              return new Any.Obj(JsObjectKeys.inPropertyOrder(entries));
            }
          }
        }
        case '[' -> {
          at++;
          List<Any> items = new ArrayList<>();
          skipWhitespace();
          if (peek(']')) {
            at++;
            return new Any.Arr(items);
          }
          while (true) {
            skipWhitespace();
            items.add(value(depth + 1));
            skipWhitespace();
            if (peek(',')) {
              at++;
            } else {
              expect(']');
              return new Any.Arr(items);
            }
          }
        }
        case '"' -> {
          return new Any.Str(string());
        }
        case 't' -> {
          literal("true");
          return Any.TRUE;
        }
        case 'f' -> {
          literal("false");
          return Any.FALSE;
        }
        case 'n' -> {
          literal("null");
          return Any.NULL;
        }
        default -> {
          return number();
        }
      }
    }

    private boolean peek(char c) {
      return at < s.length() && s.charAt(at) == c;
    }

    private void expect(char c) throws JsonException {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    private void literal(String word) throws JsonException {
      if (!s.startsWith(word, at)) {
        throw error("expected " + word);
      }
      at += word.length();
    }

    private Any number() throws JsonException {
      int start = at;
      if (peek('-')) {
        at++;
      }
      if (peek('0')) {
        at++;
      } else if (digits() == 0) {
        throw error("expected a value");
      }
      if (peek('.')) {
        at++;
        if (digits() == 0) {
          throw error("expected digits");
        }
      }
      if (peek('e') || peek('E')) {
        at++;
        if (peek('+') || peek('-')) {
          at++;
        }
        if (digits() == 0) {
          throw error("expected digits");
        }
      }
      return new Any.Num(Double.parseDouble(s.substring(start, at)));
    }

    private static int hexDigit(char c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return -1;
    }

    private int digits() {
      int start = at;
      while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
        at++;
      }
      return at - start;
    }

    private String string() throws JsonException {
      at++; // opening quote
      StringBuilder out = new StringBuilder();
      while (true) {
        if (at >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (at >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (at + 4 > s.length()) {
              throw error("short \\u escape");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int d = hexDigit(s.charAt(at++));
              if (d < 0) {
                throw error("bad \\u escape");
              }
              code = code * 16 + d;
            }
            out.append((char) code);
          }
          default -> throw error("bad escape");
        }
      }
    }
  }
}
