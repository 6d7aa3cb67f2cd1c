package dev.weft.yjs.update;

/** Clocks an update does not contain (info byte 10); written where a merge leaves a gap. */
public final class Skip extends Struct {
  public static final int REF = 10;

  public Skip(long client, long clock, long length) {
    super(client, clock, length);
  }

  /** yjs writes a Skip's length to the rest stream even in v2: it is not predictable like item lengths. */
  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeInfo(REF);
    encoder.rest().writeVarUint(length - offset);
  }

  @Override
  Struct sliceFrom(long offset) {
    return new Skip(client, clock + offset, length - offset);
  }

  @Override
  boolean mergeWith(Struct right) {
    if (right instanceof Skip) {
      length += right.length;
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "Skip(" + client + ":" + clock + ", " + length + ")";
  }
}
