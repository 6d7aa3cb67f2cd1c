package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes structs one at a time (yjs's {@code LazyStructWriter}): consecutive structs of one client form a
 * group, and since the number of groups is only known at the end, each group's rest-stream bytes are kept
 * apart and assembled by {@link #finish()}. Not thread-safe.
 */
public final class LazyStructWriter {
  private final UpdateEncoder encoder;
  private final List<Lib0Writer> groups = new ArrayList<>();
  private final List<Integer> groupCounts = new ArrayList<>();
  private long currentClient;
  private int written;

  public LazyStructWriter(UpdateEncoder encoder) {
    this.encoder = encoder;
  }

  /** Writes {@code struct} from {@code offset} on, as yjs's lazy writer does. */
  public void write(Struct struct, long offset) {
    startGroupIfNeeded(struct, offset);
    struct.write(encoder, offset);
    written++;
  }

  /** Writes {@code struct} exactly as it was read. */
  public void writeAsRead(Struct struct) {
    startGroupIfNeeded(struct, 0);
    struct.writeAsRead(encoder);
    written++;
  }

  private void startGroupIfNeeded(Struct struct, long offset) {
    if (written > 0 && currentClient != struct.client) {
      flush();
    }
    if (written == 0) {
      currentClient = struct.client;
      encoder.writeClient(struct.client);
      encoder.rest().writeVarUint(struct.clock + offset);
    }
  }

  private void flush() {
    if (written > 0) {
      groups.add(encoder.takeRest());
      groupCounts.add(written);
      written = 0;
    }
  }

  /** Writes the group count and the groups to the encoder's rest stream; the delete set may follow. */
  public void finish() {
    flush();
    Lib0Writer rest = encoder.rest();
    rest.writeVarUint(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      rest.writeVarUint(groupCounts.get(i));
      Lib0Writer group = groups.get(i);
      rest.writeBytes(group.buffer(), 0, group.size());
    }
  }
}
