package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.Json;

/**
 * An embed or format value: update v1 stores it as JSON text, v2 as an {@code any}. It keeps the form it
 * was read in, so writing it back in the same format gives the same bytes, and converts (as yjs's
 * {@code JSON.parse}/{@code JSON.stringify} would) only when written in the other format. Immutable.
 */
public final class JsonValue {
  private final String text;
  private final Any value;

  private JsonValue(String text, Any value) {
    this.text = text;
    this.value = value;
  }

  public static JsonValue ofText(String json) {
    return new JsonValue(json, null);
  }

  public static JsonValue of(Any value) {
    return new JsonValue(null, value);
  }

  /** The JSON text; for a value read from v2, {@code JSON.stringify} of it. */
  public String text() {
    if (text != null) {
      return text;
    }
    try {
      return Json.stringify(value);
    } catch (Json.JsonException e) {
      throw new UnencodableException(e.getMessage());
    }
  }

  /** The value; for text read from v1, {@code JSON.parse} of it. */
  public Any value() {
    if (value != null) {
      return value;
    }
    try {
      return Json.parse(text);
    } catch (Json.JsonException e) {
      throw new UnencodableException("embed or format value is not JSON: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonValue j && (text != null && j.text != null ? text.equals(j.text) : value().equals(j.value()));
  }

  @Override
  public int hashCode() {
    return value().hashCode();
  }

  @Override
  public String toString() {
    return text != null ? text : String.valueOf(value);
  }
}
