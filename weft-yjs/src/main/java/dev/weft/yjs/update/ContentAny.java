package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import java.util.List;

/** Ref 8: array elements or a map value, each a lib0 {@code any}. */
public record ContentAny(List<Any> values) implements Content {
  public static final int REF = 8;

  public ContentAny {
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
    return new ContentAny(values.subList((int) offset, values.size()));
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeLen(values.size() - offset);
    for (int i = (int) offset; i < values.size(); i++) {
      encoder.writeAny(values.get(i));
    }
  }
}
