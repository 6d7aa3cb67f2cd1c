package dev.weft.yjs.lib0;

import dev.weft.yjs.YjsFormatException;

/** Reads what {@link StringEncoder} writes; a length running past the concatenated text is malformed. */
public final class StringDecoder {
  private final UintOptRleDecoder lengths;
  private final String text;
  private int position;

  public StringDecoder(Lib0Reader in) throws YjsFormatException {
    this.text = in.readVarString();
    this.lengths = new UintOptRleDecoder(in);
  }

  public String read() throws YjsFormatException {
    int at = lengths.reader().position();
    long length = lengths.read();
    if (length > text.length() - position) {
      throw new YjsFormatException("string length " + length + " runs past the string column", at);
    }
    int end = position + (int) length;
    String value = text.substring(position, end);
    position = end;
    return value;
  }

  /** Code units not yet read. */
  public int remaining() {
    return text.length() - position;
  }
}
