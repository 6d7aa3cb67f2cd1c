package dev.weft.yjs.update;

/**
 * A run of clocks of one client in an update: an {@link Item} with content, a {@link GC} (garbage-collected
 * range) or a {@link Skip} (a gap: clocks this update does not hold). Not thread-safe: merging extends
 * {@link #length()} in place.
 */
public abstract sealed class Struct permits GC, Skip, Item {
  final long client;
  final long clock;
  long length;

  Struct(long client, long clock, long length) {
    this.client = client;
    this.clock = clock;
    this.length = length;
  }

  public long client() {
    return client;
  }

  public long clock() {
    return clock;
  }

  public long length() {
    return length;
  }

  /** The clock after this struct. */
  public long end() {
    return clock + length;
  }

  /** Writes the struct from {@code offset} on (0 ≤ offset < length). */
  public abstract void write(UpdateEncoder encoder, long offset);

  /** Writes the struct exactly as it was read (only items differ from {@link #write}). */
  void writeAsRead(UpdateEncoder encoder) {
    write(encoder, 0);
  }

  /** The part from {@code offset} on (0 < offset < length), as yjs's {@code sliceStruct}. */
  abstract Struct sliceFrom(long offset);

  /**
   * Appends {@code right} if it directly follows and is of the same kind, as yjs's {@code mergeWith} does
   * in update merging: GCs join GCs and Skips join Skips. Items never join there (yjs requires them to
   * be linked neighbours in a document).
   */
  boolean mergeWith(Struct right) {
    return false;
  }
}
