package dev.weft.yjs.lib0;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JavaScript's own-property semantics for plain objects, so that an object read from bytes re-encodes
 * as {@code Object.keys} would list it: array-index keys first in ascending numeric order, then the other
 * keys in insertion order; a repeated key keeps its first position and takes the last value; assigning
 * {@code __proto__} sets the prototype and creates no key.
 */
final class JsObjectKeys {
  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private JsObjectKeys() {}

  static void assign(Map<String, Any> entries, String key, Any value) {
    if (!key.equals("__proto__")) {
      entries.put(key, value);
    }
  }

  static Map<String, Any> inPropertyOrder(Map<String, Any> entries) {
    boolean anyIndex = false;
    for (String key : entries.keySet()) {
      if (arrayIndex(key) >= 0) {
        anyIndex = true;
        break;
      }
    }
    if (!anyIndex) {
      return entries;
    }
    List<String> indexKeys = new ArrayList<>();
    for (String key : entries.keySet()) {
      if (arrayIndex(key) >= 0) {
        indexKeys.add(key);
      }
    }
    indexKeys.sort((a, b) -> Long.compare(arrayIndex(a), arrayIndex(b)));
    Map<String, Any> ordered = new LinkedHashMap<>();
    for (String key : indexKeys) {
      ordered.put(key, entries.get(key));
    }
    entries.forEach((key, value) -> {
      if (arrayIndex(key) < 0) {
        ordered.put(key, value);
      }
    });
    return ordered;
  }

  /** The key as a canonical array index (0 … 2^32 - 2), or -1. */
  static long arrayIndex(String key) {
    int n = key.length();
    if (n == 0 || n > 10 || (n > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= MAX_ARRAY_INDEX ? value : -1;
  }
}
