package dev.weft.yjs.lib0;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of lib0's {@code any} encoding, modelled on what JavaScript holds after {@code readAny}: numbers
 * are doubles (so {@code -0} survives), objects keep JavaScript's own key order. Encoding chooses the tag
 * from the value exactly as lib0's {@code writeAny} does, so decode → encode gives the bytes lib0 would.
 */
public sealed interface Any {
  Any UNDEFINED = new Undefined();
  Any NULL = new Null();
  Any TRUE = new Bool(true);
  Any FALSE = new Bool(false);

  /** JavaScript {@code undefined} (tag 127). */
  record Undefined() implements Any {}

  /** JavaScript {@code null} (tag 126). */
  record Null() implements Any {}

  /**
   * A JavaScript number. Written as a varInt (tag 125) when it is an integer of at most 31 bits (−0
   * included: lib0 keeps its sign bit), else as float32 (124) when exact in 32 bits, else float64 (123).
   */
  record Num(double value) implements Any {
    @Override
    public boolean equals(Object o) {
      return o instanceof Num n && Double.doubleToLongBits(n.value) == Double.doubleToLongBits(value);
    }

    @Override
    public int hashCode() {
      return Double.hashCode(value);
    }
  }

  /** A JavaScript BigInt that fits 64 bits (tag 122). */
  record BigInt(long value) implements Any {}

  /** {@code true} (tag 120) or {@code false} (121). */
  record Bool(boolean value) implements Any {}

  /** A string (tag 119). */
  record Str(String value) implements Any {}

  /** An object (tag 118); the map iterates in JavaScript's key order (array indices first, ascending). */
  record Obj(Map<String, Any> entries) implements Any {
    public Obj {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  /** An array (tag 117). */
  record Arr(List<Any> items) implements Any {
    public Arr {
      items = List.copyOf(items);
    }
  }

  /** A Uint8Array (tag 116). */
  record Bytes(byte[] value) implements Any {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Bytes" + Arrays.toString(value);
    }
  }
}
