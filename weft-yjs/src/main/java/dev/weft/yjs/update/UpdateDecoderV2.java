package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.IntDiffOptRleDecoder;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.RleUint8Decoder;
import dev.weft.yjs.lib0.StringDecoder;
import dev.weft.yjs.lib0.UintOptRleDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Update format v2 (yjs's {@code UpdateDecoderV2}): a feature flag, nine run-length-encoded columns
 * (key clocks, clients, left clocks, right clocks, info bytes, strings, parent info, type refs, lengths),
 * then the rest stream. Column readers are views into the same array, so offsets in errors are offsets
 * in the update. Not thread-safe.
 */
public final class UpdateDecoderV2 implements UpdateDecoder {
  /** Structs and elements an update may hold per byte of input, plus {@link #BASE_BUDGET}. */
  static final int UNITS_PER_BYTE = 64;

  static final int BASE_BUDGET = 65_536;

  private final Lib0Reader rest;
  private final IntDiffOptRleDecoder keyClocks;
  private final UintOptRleDecoder clients;
  private final IntDiffOptRleDecoder leftClocks;
  private final IntDiffOptRleDecoder rightClocks;
  private final RleUint8Decoder infos;
  private final StringDecoder strings;
  private final RleUint8Decoder parentInfos;
  private final UintOptRleDecoder typeRefs;
  private final UintOptRleDecoder lengths;
  private final Lib0Reader keyClockColumn;
  private final Lib0Reader leftClockColumn;
  private final Lib0Reader rightClockColumn;
  private final List<String> keys = new ArrayList<>();
  private long budget;
  private long dsCurrentValue;

  public UpdateDecoderV2(byte[] update) throws YjsFormatException {
    Lib0Reader in = new Lib0Reader(update);
    in.readVarUint(); // feature flag, unused
    keyClockColumn = column(in, update);
    keyClocks = new IntDiffOptRleDecoder(keyClockColumn);
    clients = new UintOptRleDecoder(column(in, update));
    leftClockColumn = column(in, update);
    leftClocks = new IntDiffOptRleDecoder(leftClockColumn);
    rightClockColumn = column(in, update);
    rightClocks = new IntDiffOptRleDecoder(rightClockColumn);
    infos = new RleUint8Decoder(column(in, update));
    strings = new StringDecoder(column(in, update));
    parentInfos = new RleUint8Decoder(column(in, update));
    typeRefs = new UintOptRleDecoder(column(in, update));
    lengths = new UintOptRleDecoder(column(in, update));
    rest = in;
    budget = Math.min(Integer.MAX_VALUE, (long) UNITS_PER_BYTE * update.length + BASE_BUDGET);
  }

  private static Lib0Reader column(Lib0Reader in, byte[] update) throws YjsFormatException {
    int length = in.readLength();
    Lib0Reader column = new Lib0Reader(update, in.position(), length);
    in.skip(length);
    return column;
  }

  @Override
  public Lib0Reader rest() {
    return rest;
  }

  @Override
  public ID readLeftId() throws YjsFormatException {
    long client = clients.read();
    int at = leftClockColumn.position();
    return new ID(client, clock(leftClocks.read(), at));
  }

  @Override
  public ID readRightId() throws YjsFormatException {
    long client = clients.read();
    int at = rightClockColumn.position();
    return new ID(client, clock(rightClocks.read(), at));
  }

  /** Clocks are differences summed up, so a forged column can make them negative or too large. */
  private static long clock(long value, int at) throws YjsFormatException {
    if (value < 0 || value > Lib0Reader.MAX_SAFE_INTEGER) {
      throw new YjsFormatException("clock " + value + " out of range", at);
    }
    return value;
  }

  @Override
  public long readClient() throws YjsFormatException {
    return clients.read();
  }

  @Override
  public int readInfo() throws YjsFormatException {
    return infos.read();
  }

  @Override
  public String readString() throws YjsFormatException {
    return strings.read();
  }

  @Override
  public boolean readParentInfo() throws YjsFormatException {
    return parentInfos.read() == 1;
  }

  @Override
  public int readTypeRef() throws YjsFormatException {
    long ref = typeRefs.read();
    return ref > Integer.MAX_VALUE ? -1 : (int) ref;
  }

  @Override
  public long readLen() throws YjsFormatException {
    return lengths.read();
  }

  @Override
  public Any readAny() throws YjsFormatException {
    return rest.readAny();
  }

  @Override
  public byte[] readBuf() throws YjsFormatException {
    return rest.readVarUint8Array();
  }

  @Override
  public JsonValue readJson() throws YjsFormatException {
    return JsonValue.of(rest.readAny());
  }

  /** A key is either new (its text follows in the string column) or the number of one read before. */
  @Override
  public String readKey() throws YjsFormatException {
    int at = keyClockColumn.position();
    long keyClock = keyClocks.read();
    if (keyClock < 0) {
      throw new YjsFormatException("negative key reference " + keyClock, at);
    }
    if (keyClock < keys.size()) {
      return keys.get((int) keyClock);
    }
    String key = strings.read();
    keys.add(key);
    return key;
  }

  @Override
  public void charge(long units, int at) throws YjsFormatException {
    if (units > budget) {
      throw new YjsFormatException("more structs or elements than a v2 update of this size may hold ("
          + UNITS_PER_BYTE + " a byte)", at);
    }
    budget -= units;
  }

  @Override
  public void resetDsCurVal() {
    dsCurrentValue = 0;
  }

  @Override
  public long readDsClock() throws YjsFormatException {
    dsCurrentValue += rest.readVarUint();
    checkSafe();
    return dsCurrentValue;
  }

  @Override
  public long readDsLen() throws YjsFormatException {
    long length = rest.readVarUint() + 1;
    dsCurrentValue += length;
    checkSafe();
    return length;
  }

  private void checkSafe() throws YjsFormatException {
    if (dsCurrentValue > Lib0Reader.MAX_SAFE_INTEGER) {
      throw new YjsFormatException("deleted range beyond 2^53 - 1", rest.position());
    }
  }
}
