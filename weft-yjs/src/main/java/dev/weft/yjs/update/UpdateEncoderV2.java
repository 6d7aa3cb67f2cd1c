package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.IntDiffOptRleEncoder;
import dev.weft.yjs.lib0.Lib0Writer;
import dev.weft.yjs.lib0.RleUint8Encoder;
import dev.weft.yjs.lib0.StringEncoder;
import dev.weft.yjs.lib0.UintOptRleEncoder;

/** Update format v2 (yjs's {@code UpdateEncoderV2}); see {@link UpdateDecoderV2}. Not thread-safe. */
public final class UpdateEncoderV2 implements UpdateEncoder {
  private Lib0Writer rest = new Lib0Writer();
  private final IntDiffOptRleEncoder keyClocks = new IntDiffOptRleEncoder();
  private final UintOptRleEncoder clients = new UintOptRleEncoder();
  private final IntDiffOptRleEncoder leftClocks = new IntDiffOptRleEncoder();
  private final IntDiffOptRleEncoder rightClocks = new IntDiffOptRleEncoder();
  private final RleUint8Encoder infos = new RleUint8Encoder();
  private final StringEncoder strings = new StringEncoder();
  private final RleUint8Encoder parentInfos = new RleUint8Encoder();
  private final UintOptRleEncoder typeRefs = new UintOptRleEncoder();
  private final UintOptRleEncoder lengths = new UintOptRleEncoder();
  private long keyClock;
  private long dsCurrentValue;

  @Override
  public Lib0Writer rest() {
    return rest;
  }

  @Override
  public Lib0Writer takeRest() {
    Lib0Writer taken = rest;
    rest = new Lib0Writer();
    return taken;
  }

  @Override
  public void writeLeftId(long client, long clock) {
    clients.write(client);
    leftClocks.write(clock);
  }

  @Override
  public void writeRightId(long client, long clock) {
    clients.write(client);
    rightClocks.write(clock);
  }

  @Override
  public void writeClient(long client) {
    clients.write(client);
  }

  @Override
  public void writeInfo(int info) {
    infos.write(info);
  }

  @Override
  public void writeString(String value) {
    strings.write(value);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    parentInfos.write(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int typeRef) {
    typeRefs.write(typeRef);
  }

  @Override
  public void writeLen(long length) {
    lengths.write(length);
  }

  @Override
  public void writeAny(Any value) {
    rest.writeAny(value);
  }

  @Override
  public void writeBuf(byte[] value) {
    rest.writeVarUint8Array(value);
  }

  @Override
  public void writeJson(JsonValue value) {
    rest.writeAny(value.value());
  }

  /** yjs never reuses a key number when writing (its key map is commented out): every key is new. */
  @Override
  public void writeKey(String key) {
    keyClocks.write(keyClock++);
    strings.write(key);
  }

  @Override
  public void resetDsCurVal() {
    dsCurrentValue = 0;
  }

  @Override
  public void writeDsClock(long clock) {
    long diff = clock - dsCurrentValue;
    if (diff < 0) {
      throw new UnencodableException("delete set not sorted by clock: v2 cannot encode it");
    }
    dsCurrentValue = clock;
    rest.writeVarUint(diff);
  }

  @Override
  public void writeDsLen(long length) {
    if (length == 0) {
      throw new UnencodableException("empty deleted range: v2 cannot encode it");
    }
    rest.writeVarUint(length - 1);
    dsCurrentValue += length;
  }

  @Override
  public byte[] toByteArray() {
    Lib0Writer out = new Lib0Writer(rest.size() + 64);
    out.writeVarUint(0); // feature flag
    out.writeVarUint8Array(keyClocks.toByteArray());
    out.writeVarUint8Array(clients.toByteArray());
    out.writeVarUint8Array(leftClocks.toByteArray());
    out.writeVarUint8Array(rightClocks.toByteArray());
    out.writeVarUint8Array(infos.toByteArray());
    out.writeVarUint8Array(strings.toByteArray());
    out.writeVarUint8Array(parentInfos.toByteArray());
    out.writeVarUint8Array(typeRefs.toByteArray());
    out.writeVarUint8Array(lengths.toByteArray());
    out.writeBytes(rest.buffer(), 0, rest.size());
    return out.toByteArray();
  }
}
