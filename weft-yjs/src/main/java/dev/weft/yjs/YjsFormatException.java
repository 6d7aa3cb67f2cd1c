package dev.weft.yjs;

/**
 * The bytes are not a valid Yjs/lib0 encoding: truncated, malformed, or a length prefix larger than what
 * is left. The only exception a decoder throws for bad input; {@link #offset()} is where reading stopped.
 */
public final class YjsFormatException extends Exception {
  private final int offset;

  public YjsFormatException(String reason, int offset) {
    super(reason + " at byte " + offset);
    this.offset = offset;
  }

  /** Byte offset in the input where the problem was found. */
  public int offset() {
    return offset;
  }
}
