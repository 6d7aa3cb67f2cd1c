package dev.weft.yjs.update;

/**
 * An item's content, one implementation per content ref (the low 5 bits of the info byte). Immutable.
 * {@link #length()} counts clock units: UTF-16 code units for strings, elements for arrays, 1 for a
 * single value.
 */
public sealed interface Content
    permits ContentDeleted, ContentJson, ContentString, ContentAny, UnitContent {

  /** The content ref written in the info byte. */
  int ref();

  long length();

  /** Whether the content counts towards the length of its parent (formats and deletions do not). */
  boolean countable();

  /**
   * The part from {@code offset} on, as yjs's {@code content.splice} returns it; only contents longer
   * than 1 are ever split, at {@code 0 < offset < length()}.
   */
  Content sliceFrom(long offset);

  /** Writes the content from {@code offset} on. */
  void write(UpdateEncoder encoder, long offset);
}
