package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The update-level operations of yjs's {@code updates.js}, over lazy struct readers, for either format.
 * Each produces the bytes yjs 13.6 produces for the same input. Stateless and thread-safe.
 */
public final class Updates {
  private Updates() {}

  /** yjs's {@code decodeUpdate}/{@code decodeUpdateV2}. */
  public static DecodedUpdate decode(byte[] update, UpdateFormat format) throws YjsFormatException {
    UpdateDecoder decoder = format.decoder(update);
    LazyStructReader reader = new LazyStructReader(decoder, false);
    List<Struct> structs = new ArrayList<>();
    for (Struct s = reader.current(); s != null; s = reader.next()) {
      structs.add(s);
    }
    return new DecodedUpdate(structs, DeleteSet.read(decoder));
  }

  /**
   * Writes structs (grouped per client as they come) and the delete set. Items keep their info bits as
   * read, so an update a yjs document encoded comes out byte for byte (yjs's own lazy re-encoding, as in
   * {@link #convert}, drops the parentSub bit of items whose origin makes it implicit).
   */
  public static byte[] encode(DecodedUpdate update, UpdateFormat format) throws YjsFormatException {
    try {
      return encodeUnchecked(update, format);
    } catch (UnencodableException e) {
      throw new YjsFormatException(e.getMessage(), 0);
    }
  }

  private static byte[] encodeUnchecked(DecodedUpdate update, UpdateFormat format) {
    UpdateEncoder encoder = format.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    for (Struct struct : update.structs()) {
      writer.writeAsRead(struct);
    }
    writer.finish();
    update.deleteSet().write(encoder);
    return encoder.toByteArray();
  }

  /**
   * yjs's {@code convertUpdateFormat} without a transformer: v1 ↔ v2. Fails where yjs fails too: an
   * embed or format value that JSON cannot represent (a BigInt, from v2), JSON text that does not parse
   * (from v1), an empty or unsorted deleted range (to v2).
   */
  public static byte[] convert(byte[] update, UpdateFormat from, UpdateFormat to) throws YjsFormatException {
    try {
      return convertUnchecked(update, from, to);
    } catch (UnencodableException e) {
      throw new YjsFormatException(e.getMessage(), 0);
    }
  }

  private static byte[] convertUnchecked(byte[] update, UpdateFormat from, UpdateFormat to)
      throws YjsFormatException {
    UpdateDecoder decoder = from.decoder(update);
    LazyStructReader reader = new LazyStructReader(decoder, false);
    UpdateEncoder encoder = to.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    for (Struct s = reader.current(); s != null; s = reader.next()) {
      writer.write(s, 0);
    }
    writer.finish();
    DeleteSet.read(decoder).write(encoder);
    return encoder.toByteArray();
  }

  /**
   * yjs's {@code mergeUpdatesV2}: one update holding all of {@code updates}; overlapping structs are
   * written once, gaps become Skips, delete sets are merged. A single update is returned as it is.
   */
  public static byte[] merge(List<byte[]> updates, UpdateFormat format) throws YjsFormatException {
    try {
      return mergeUnchecked(updates, format);
    } catch (UnencodableException e) {
      throw new YjsFormatException(e.getMessage(), 0);
    }
  }

  private static byte[] mergeUnchecked(List<byte[]> updates, UpdateFormat format) throws YjsFormatException {
    if (updates.size() == 1) {
      return updates.get(0);
    }
    List<UpdateDecoder> decoders = new ArrayList<>(updates.size());
    List<LazyStructReader> readers = new ArrayList<>(updates.size());
    for (byte[] update : updates) {
      UpdateDecoder decoder = format.decoder(update);
      decoders.add(decoder);
      LazyStructReader reader = new LazyStructReader(decoder, true);
      if (reader.current() != null) {
        readers.add(reader);
      }
    }
    // yjs filters and stably sorts all readers on every step; only the head reader moves per step, so
    // re-inserting it where the stable sort would put it gives the same order in O(log n).
    readers.sort(Updates::compareReaders);

    UpdateEncoder encoder = format.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    Struct currWrite = null;
    while (!readers.isEmpty()) {
      LazyStructReader currDecoder = readers.get(0);
      long firstClient = currDecoder.current().client;
      step:
      {
        if (currWrite != null) {
          Struct curr = currDecoder.current();
          boolean iterated = false;
          // skip what was written already (higher clients are written first)
          while (curr != null && curr.end() <= currWrite.end() && curr.client >= currWrite.client) {
            curr = currDecoder.next();
            iterated = true;
          }
          if (curr == null || curr.client != firstClient || (iterated && curr.clock > currWrite.end())) {
            break step;
          }
          if (firstClient != currWrite.client) {
            writer.write(currWrite, 0);
            currWrite = curr;
            currDecoder.next();
          } else if (currWrite.end() < curr.clock) {
            if (currWrite instanceof Skip) {
              currWrite.length = curr.end() - currWrite.clock;
            } else {
              writer.write(currWrite, 0);
              long gap = curr.clock - currWrite.end();
              currWrite = new Skip(firstClient, currWrite.end(), gap);
            }
          } else {
            long overlap = currWrite.end() - curr.clock;
            if (overlap > 0) {
              if (currWrite instanceof Skip) {
                // prefer to shorten the Skip: the other struct may hold more information
                currWrite.length -= overlap;
              } else {
                curr = curr.sliceFrom(overlap);
              }
            }
            if (!currWrite.mergeWith(curr)) {
              writer.write(currWrite, 0);
              currWrite = curr;
              currDecoder.next();
            }
          }
        } else {
          currWrite = currDecoder.current();
          currDecoder.next();
        }
        for (Struct next = currDecoder.current();
            next != null && next.client == firstClient && next.clock == currWrite.end() && !(next instanceof Skip);
            next = currDecoder.next()) {
          writer.write(currWrite, 0);
          currWrite = next;
        }
      }
      reinsertHead(readers);
    }
    if (currWrite != null) {
      writer.write(currWrite, 0);
    }
    writer.finish();

    List<DeleteSet> deleteSets = new ArrayList<>(decoders.size());
    for (UpdateDecoder decoder : decoders) {
      deleteSets.add(DeleteSet.read(decoder));
    }
    DeleteSet.merge(deleteSets).write(encoder);
    return encoder.toByteArray();
  }

  /** yjs's order: clients descending, clocks ascending, a Skip after another struct at the same clock. */
  private static int compareReaders(LazyStructReader a, LazyStructReader b) {
    Struct x = a.current();
    Struct y = b.current();
    if (x.client == y.client) {
      int byClock = Long.compare(x.clock, y.clock);
      if (byClock != 0) {
        return byClock;
      }
      boolean xSkip = x instanceof Skip;
      return xSkip == (y instanceof Skip) ? 0 : xSkip ? 1 : -1;
    }
    return Long.compare(y.client, x.client);
  }

  /** Moves the head reader to where a stable sort would put it (before its equals), or drops it when done. */
  private static void reinsertHead(List<LazyStructReader> readers) {
    LazyStructReader head = readers.remove(0);
    if (head.current() == null) {
      return;
    }
    int low = 0;
    int high = readers.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (compareReaders(readers.get(mid), head) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    readers.add(low, head);
  }

  /** yjs's {@code diffUpdateV2}: the structs of {@code update} not covered by {@code stateVector}, and its whole delete set. */
  public static byte[] diff(byte[] update, byte[] stateVector, UpdateFormat format) throws YjsFormatException {
    try {
      return diffUnchecked(update, stateVector, format);
    } catch (UnencodableException e) {
      // v2 writes a delete set as differences: a client listed twice in it cannot be written as read
      throw new YjsFormatException(e.getMessage(), 0);
    }
  }

  private static byte[] diffUnchecked(byte[] update, byte[] stateVector, UpdateFormat format)
      throws YjsFormatException {
    Map<Long, Long> state = StateVectors.decode(stateVector);
    UpdateEncoder encoder = format.encoder();
    LazyStructWriter writer = new LazyStructWriter(encoder);
    UpdateDecoder decoder = format.decoder(update);
    LazyStructReader reader = new LazyStructReader(decoder, false);
    while (reader.current() != null) {
      Struct curr = reader.current();
      long currClient = curr.client;
      long svClock = state.getOrDefault(currClient, 0L);
      if (curr instanceof Skip) {
        // the first written struct shouldn't be a skip
        reader.next();
        continue;
      }
      if (curr.end() > svClock) {
        writer.write(curr, Math.max(svClock - curr.clock, 0));
        reader.next();
        while (reader.current() != null && reader.current().client == currClient) {
          writer.write(reader.current(), 0);
          reader.next();
        }
      } else {
        while (reader.current() != null && reader.current().client == currClient
            && reader.current().end() <= svClock) {
          reader.next();
        }
      }
    }
    writer.finish();
    DeleteSet.read(decoder).write(encoder);
    return encoder.toByteArray();
  }

  /** yjs's {@code encodeStateVectorFromUpdateV2} (the result is a v1 state vector for either format). */
  public static byte[] stateVector(byte[] update, UpdateFormat format) throws YjsFormatException {
    LazyStructReader reader = new LazyStructReader(format.decoder(update), false);
    Lib0Writer entries = new Lib0Writer();
    int size = 0;
    Struct curr = reader.current();
    if (curr != null) {
      long currClient = curr.client;
      boolean stopCounting = curr.clock != 0; // must start at 0
      long currClock = stopCounting ? 0 : curr.end();
      for (; curr != null; curr = reader.next()) {
        if (currClient != curr.client) {
          if (currClock != 0) {
            size++;
            entries.writeVarUint(currClient).writeVarUint(currClock);
          }
          currClient = curr.client;
          currClock = 0;
          stopCounting = curr.clock != 0;
        }
        if (curr instanceof Skip) {
          stopCounting = true;
        }
        if (!stopCounting) {
          currClock = curr.end();
        }
      }
      if (currClock != 0) {
        size++;
        entries.writeVarUint(currClient).writeVarUint(currClock);
      }
    }
    Lib0Writer out = new Lib0Writer(entries.size() + 5);
    out.writeVarUint(size);
    out.writeBytes(entries.buffer(), 0, entries.size());
    return out.toByteArray();
  }

  /** yjs's {@code parseUpdateMetaV2}. */
  public static UpdateMeta meta(byte[] update, UpdateFormat format) throws YjsFormatException {
    Map<Long, Long> from = new LinkedHashMap<>();
    Map<Long, Long> to = new LinkedHashMap<>();
    LazyStructReader reader = new LazyStructReader(format.decoder(update), false);
    Struct curr = reader.current();
    if (curr != null) {
      long currClient = curr.client;
      long currClock = curr.clock;
      from.put(currClient, currClock);
      for (; curr != null; curr = reader.next()) {
        if (currClient != curr.client) {
          to.put(currClient, currClock);
          from.put(curr.client, curr.clock);
          currClient = curr.client;
        }
        currClock = curr.end();
      }
      to.put(currClient, currClock);
    }
    return new UpdateMeta(from, to);
  }
}
