package dev.weft.yjs.update;

/** Ref 6: a rich-text formatting mark (key and value, the value as JSON text; {@code null} ends a range). */
public record ContentFormat(String key, String json) implements Content {
  public static final int REF = 6;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public long length() {
    return 1;
  }

  @Override
  public boolean countable() {
    return false;
  }

  @Override
  public Content sliceFrom(long offset) {
    throw new UnsupportedOperationException("format content has length 1");
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeKey(key);
    encoder.writeJson(json);
  }
}
