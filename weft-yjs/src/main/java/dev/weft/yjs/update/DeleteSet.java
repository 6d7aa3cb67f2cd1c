package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deleted clock ranges per client, as an update ends with them. Clients keep the order they were first
 * read in; {@link #write} sorts them by descending id as yjs does. Not thread-safe.
 */
public final class DeleteSet {
  /** One deleted range. */
  public record Range(long clock, long length) {}

  private final Map<Long, List<Range>> clients = new LinkedHashMap<>();

  public Map<Long, List<Range>> clients() {
    return clients;
  }

  public void add(long client, long clock, long length) {
    clients.computeIfAbsent(client, c -> new ArrayList<>()).add(new Range(clock, length));
  }

  /** yjs's {@code readDeleteSet}: a client listed with no ranges is dropped, a repeated one is appended to. */
  public static DeleteSet read(UpdateDecoder decoder) throws YjsFormatException {
    Lib0Reader rest = decoder.rest();
    DeleteSet ds = new DeleteSet();
    long clientCount = rest.readVarUint();
    for (long i = 0; i < clientCount; i++) {
      decoder.resetDsCurVal();
      long client = rest.readVarUint();
      long deletes = rest.readVarUint();
      if (deletes > 0) {
        List<Range> ranges = ds.clients.computeIfAbsent(client, c -> new ArrayList<>());
        for (long j = 0; j < deletes; j++) {
          int at = rest.position();
          long clock = decoder.readDsClock();
          long length = decoder.readDsLen();
          if (clock + length > Lib0Reader.MAX_SAFE_INTEGER) {
            throw new YjsFormatException("deleted range beyond 2^53 - 1", at);
          }
          ranges.add(new Range(clock, length));
        }
      }
    }
    return ds;
  }

  /** yjs's {@code writeDeleteSet}: clients by descending id, each client's ranges as they are. */
  public void write(UpdateEncoder encoder) {
    List<Long> ids = new ArrayList<>(clients.keySet());
    ids.sort((a, b) -> Long.compare(b, a));
    encoder.rest().writeVarUint(ids.size());
    for (long client : ids) {
      List<Range> ranges = clients.get(client);
      encoder.resetDsCurVal();
      encoder.rest().writeVarUint(client);
      encoder.rest().writeVarUint(ranges.size());
      for (Range range : ranges) {
        encoder.writeDsClock(range.clock());
        encoder.writeDsLen(range.length());
      }
    }
  }

  /** yjs's {@code mergeDeleteSets}: all ranges per client, sorted by clock, overlapping ones joined. */
  public static DeleteSet merge(List<DeleteSet> sets) {
    DeleteSet merged = new DeleteSet();
    for (int i = 0; i < sets.size(); i++) {
      for (Map.Entry<Long, List<Range>> entry : sets.get(i).clients.entrySet()) {
        long client = entry.getKey();
        if (!merged.clients.containsKey(client)) {
          List<Range> ranges = new ArrayList<>(entry.getValue());
          for (int j = i + 1; j < sets.size(); j++) {
            List<Range> more = sets.get(j).clients.get(client);
            if (more != null) {
              ranges.addAll(more);
            }
          }
          merged.clients.put(client, ranges);
        }
      }
    }
    merged.sortAndMerge();
    return merged;
  }

  /** yjs's {@code sortAndMergeDeleteSet}. */
  public void sortAndMerge() {
    for (List<Range> ranges : clients.values()) {
      ranges.sort((a, b) -> Long.compare(a.clock(), b.clock()));
      int j = 1;
      for (int i = 1; i < ranges.size(); i++) {
        Range left = ranges.get(j - 1);
        Range right = ranges.get(i);
        if (left.clock() + left.length() >= right.clock()) {
          ranges.set(j - 1, new Range(left.clock(),
              Math.max(left.length(), right.clock() + right.length() - left.clock())));
        } else {
          ranges.set(j++, right);
        }
      }
      if (ranges.size() > j) {
        ranges.subList(j, ranges.size()).clear();
      }
    }
  }
}
