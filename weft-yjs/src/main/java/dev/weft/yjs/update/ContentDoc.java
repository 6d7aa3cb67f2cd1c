package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ref 9: a subdocument, by guid, with its options ({@code any}). The options are kept as yjs keeps them
 * after reading: it builds a {@code Doc} from them and writes back only {@code gc: false},
 * {@code autoLoad: true} and {@code meta}, in that order (see {@link #of}).
 */
public record ContentDoc(String guid, Any options) implements UnitContent {
  public static final int REF = 9;

  /** What yjs's {@code new ContentDoc(createDocFromOpts(guid, opts))} writes back for read values. */
  public static ContentDoc of(String guid, Any readOptions) {
    Map<String, Any> spread = spreadOf(readOptions);
    String effectiveGuid = spread.get("guid") instanceof Any.Str s ? s.value() : guid;
    Any gc = spread.getOrDefault("gc", Any.UNDEFINED);
    Any autoLoad = spread.getOrDefault("autoLoad", Any.UNDEFINED);
    Any meta = spread.getOrDefault("meta", Any.UNDEFINED);
    Map<String, Any> options = new LinkedHashMap<>();
    if (!(gc instanceof Any.Undefined) && !truthy(gc)) {
      options.put("gc", Any.FALSE);
    }
    if (truthy(autoLoad)) {
      options.put("autoLoad", Any.TRUE);
    }
    if (!(meta instanceof Any.Undefined) && !(meta instanceof Any.Null)) {
      options.put("meta", meta);
    }
    return new ContentDoc(effectiveGuid, new Any.Obj(options));
  }

  /** The own enumerable properties {@code {...value}} copies. */
  private static Map<String, Any> spreadOf(Any value) {
    Map<String, Any> out = new LinkedHashMap<>();
    switch (value) {
      case Any.Obj obj -> out.putAll(obj.entries());
      case Any.Arr arr -> {
        for (int i = 0; i < arr.items().size(); i++) {
          out.put(Integer.toString(i), arr.items().get(i));
        }
      }
      case Any.Str str -> {
        for (int i = 0; i < str.value().length(); i++) {
          out.put(Integer.toString(i), new Any.Str(String.valueOf(str.value().charAt(i))));
        }
      }
      case Any.Bytes bytes -> {
        for (int i = 0; i < bytes.value().length; i++) {
          out.put(Integer.toString(i), new Any.Num(bytes.value()[i] & 0xff));
        }
      }
      default -> {}
    }
    return out;
  }

  private static boolean truthy(Any value) {
    return switch (value) {
      case Any.Undefined u -> false;
      case Any.Null n -> false;
      case Any.Bool b -> b.value();
      case Any.Num n -> n.value() != 0 && !Double.isNaN(n.value());
      case Any.BigInt b -> b.value() != 0;
      case Any.Str s -> !s.value().isEmpty();
      default -> true;
    };
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeString(guid);
    encoder.writeAny(options);
  }
}
