package dev.weft.yjs.update;

/** Ref 1: deleted content of which only the length is kept. */
public record ContentDeleted(long length) implements Content {
  public static final int REF = 1;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public boolean countable() {
    return false;
  }

  @Override
  public Content sliceFrom(long offset) {
    return new ContentDeleted(length - offset);
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeLen(length - offset);
  }
}
