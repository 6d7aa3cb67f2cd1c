package dev.weft.yjs.update;

/** A garbage-collected range of clocks (info byte 0). */
public final class GC extends Struct {
  public static final int REF = 0;

  public GC(long client, long clock, long length) {
    super(client, clock, length);
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeInfo(REF);
    encoder.writeLen(length - offset);
  }

  @Override
  Struct sliceFrom(long offset) {
    return new GC(client, clock + offset, length - offset);
  }

  @Override
  boolean mergeWith(Struct right) {
    if (right instanceof GC) {
      length += right.length;
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "GC(" + client + ":" + clock + ", " + length + ")";
  }
}
