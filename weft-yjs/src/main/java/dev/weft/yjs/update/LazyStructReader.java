package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;

/**
 * Reads an update's structs one at a time (yjs's {@code LazyStructReader}): clients in the order written,
 * each client's structs in clock order. After the last struct the decoder stands at the delete set.
 * Not thread-safe.
 */
public final class LazyStructReader {
  private static final int BITS5 = 0x1f;
  private static final int BIT8 = 0x80;
  private static final int BIT7 = 0x40;
  private static final int BIT6 = 0x20;

  private final UpdateDecoder decoder;
  private final boolean filterSkips;
  private long clientsLeft;
  private long structsLeft;
  private long client;
  private long clock;
  private Struct current;

  /**
   * Reads the client count and the first struct.
   *
   * @param filterSkips whether {@link Skip}s are passed over (merging does, diffing does not)
   */
  public LazyStructReader(UpdateDecoder decoder, boolean filterSkips) throws YjsFormatException {
    this.decoder = decoder;
    this.filterSkips = filterSkips;
    this.clientsLeft = decoder.rest().readVarUint();
    next();
  }

  /** The current struct, null once all are read. */
  public Struct current() {
    return current;
  }

  /** Advances to the next struct and returns it (null at the end). */
  public Struct next() throws YjsFormatException {
    do {
      current = readStruct();
    } while (filterSkips && current instanceof Skip);
    return current;
  }

  public UpdateDecoder decoder() {
    return decoder;
  }

  private Struct readStruct() throws YjsFormatException {
    Lib0Reader rest = decoder.rest();
    while (structsLeft == 0) {
      if (clientsLeft == 0) {
        return null;
      }
      clientsLeft--;
      structsLeft = rest.readVarUint();
      client = decoder.readClient();
      clock = rest.readVarUint();
    }
    structsLeft--;
    int at = rest.position();
    decoder.charge(1, at);
    int info = decoder.readInfo();
    Struct struct;
    if (info == Skip.REF) {
      struct = new Skip(client, clock, rest.readVarUint());
    } else if ((info & BITS5) != 0) {
      boolean cantCopyParentInfo = (info & (BIT7 | BIT8)) == 0;
      ID origin = (info & BIT8) == BIT8 ? decoder.readLeftId() : null;
      ID rightOrigin = (info & BIT7) == BIT7 ? decoder.readRightId() : null;
      Object parent = null;
      String parentSub = null;
      if (cantCopyParentInfo) {
        parent = decoder.readParentInfo() ? decoder.readString() : decoder.readLeftId();
        if ((info & BIT6) == BIT6) {
          parentSub = decoder.readString();
        }
      }
      Content content = Contents.read(decoder, info & BITS5);
      struct = new Item(client, clock, origin, rightOrigin, parent, parentSub, content, (info & BIT6) == BIT6);
    } else {
      struct = new GC(client, clock, decoder.readLen());
    }
    clock += struct.length;
    if (clock > Lib0Reader.MAX_SAFE_INTEGER) {
      throw new YjsFormatException("clock beyond 2^53 - 1", at);
    }
    return struct;
  }
}
