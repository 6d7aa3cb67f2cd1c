package dev.weft.yjs.update;

import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.Lib0Writer;

/** Update format v1: every field is a lib0 value in one stream. */
public final class UpdateEncoderV1 implements UpdateEncoder {
  private Lib0Writer rest;

  public UpdateEncoderV1() {
    this(new Lib0Writer());
  }

  public UpdateEncoderV1(Lib0Writer rest) {
    this.rest = rest;
  }

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
    rest.writeVarUint(client).writeVarUint(clock);
  }

  @Override
  public void writeRightId(long client, long clock) {
    rest.writeVarUint(client).writeVarUint(clock);
  }

  @Override
  public void writeClient(long client) {
    rest.writeVarUint(client);
  }

  @Override
  public void writeInfo(int info) {
    rest.writeUint8(info);
  }

  @Override
  public void writeString(String value) {
    rest.writeVarString(value);
  }

  @Override
  public void writeParentInfo(boolean isYKey) {
    rest.writeVarUint(isYKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int typeRef) {
    rest.writeVarUint(typeRef);
  }

  @Override
  public void writeLen(long length) {
    rest.writeVarUint(length);
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
    rest.writeVarString(value.text());
  }

  @Override
  public void writeKey(String key) {
    rest.writeVarString(key);
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public void writeDsClock(long clock) {
    rest.writeVarUint(clock);
  }

  @Override
  public void writeDsLen(long length) {
    rest.writeVarUint(length);
  }

  @Override
  public byte[] toByteArray() {
    return rest.toByteArray();
  }
}
