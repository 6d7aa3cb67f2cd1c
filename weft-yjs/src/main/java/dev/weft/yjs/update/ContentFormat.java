package dev.weft.yjs.update;

/** Ref 6: a rich-text formatting mark (key and value; a {@code null} value ends a range). */
public record ContentFormat(String key, JsonValue value) implements UnitContent {
  public static final int REF = 6;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public boolean countable() {
    return false;
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeKey(key);
    encoder.writeJson(value);
  }
}
