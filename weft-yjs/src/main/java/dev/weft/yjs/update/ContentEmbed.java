package dev.weft.yjs.update;

/** Ref 5: a rich-text embed (an image, a mention: any JSON value). */
public record ContentEmbed(JsonValue value) implements UnitContent {
  public static final int REF = 5;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeJson(value);
  }
}
