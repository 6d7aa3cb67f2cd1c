package dev.weft.yjs.update;

/** Ref 4: text; its length is in UTF-16 code units, as in JavaScript and {@link String#length()}. */
public record ContentString(String value) implements Content {
  public static final int REF = 4;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public long length() {
    return value.length();
  }

  @Override
  public boolean countable() {
    return true;
  }

  /**
   * Like yjs, a split inside a surrogate pair replaces both halves with U+FFFD so that neither side
   * holds a lone surrogate.
   */
  @Override
  public Content sliceFrom(long offset) {
    int at = (int) offset;
    String right = value.substring(at);
    if (Character.isHighSurrogate(value.charAt(at - 1))) {
      right = '\uFFFD' + right.substring(1);
    }
    return new ContentString(right);
  }

  /** Unlike {@link #sliceFrom}, yjs writes from an offset without the surrogate repair. */
  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeString(offset == 0 ? value : value.substring((int) offset));
  }
}
