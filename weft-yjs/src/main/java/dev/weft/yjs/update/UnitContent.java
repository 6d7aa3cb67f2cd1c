package dev.weft.yjs.update;

/** Content that is one element long and never split: binary, embed, format, type, subdocument. */
public sealed interface UnitContent extends Content
    permits ContentBinary, ContentEmbed, ContentFormat, ContentType, ContentDoc {
  @Override
  default long length() {
    return 1;
  }

  @Override
  default boolean countable() {
    return true;
  }

  @Override
  default Content sliceFrom(long offset) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has length 1");
  }
}
