package dev.weft.yjs.update;

/** Ref 5: a rich-text embed, held as JSON text. */
public record ContentEmbed(String json) implements Content {
  public static final int REF = 5;

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
    return true;
  }

  @Override
  public Content sliceFrom(long offset) {
    throw new UnsupportedOperationException("embed content has length 1");
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeJson(json);
  }
}
