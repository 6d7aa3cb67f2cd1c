package dev.weft.yjs.update;

import java.util.List;

/**
 * Ref 2: the legacy JSON array content, one JSON text per element ({@code "undefined"} for undefined).
 * The texts are kept as read: yjs wrote them with {@code JSON.stringify}, which they round-trip through.
 */
public record ContentJson(List<String> values) implements Content {
  public static final int REF = 2;

  public ContentJson {
    values = List.copyOf(values);
  }

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public long length() {
    return values.size();
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public Content sliceFrom(long offset) {
    return new ContentJson(values.subList((int) offset, values.size()));
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeLen(values.size() - offset);
    for (int i = (int) offset; i < values.size(); i++) {
      encoder.writeString(values.get(i));
    }
  }
}
