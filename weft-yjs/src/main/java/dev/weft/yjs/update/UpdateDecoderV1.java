package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Any;
import dev.weft.yjs.lib0.Lib0Reader;

/** Update format v1: every field is a lib0 value in one stream. */
public final class UpdateDecoderV1 implements UpdateDecoder {
  private final Lib0Reader rest;

  public UpdateDecoderV1(Lib0Reader rest) {
    this.rest = rest;
  }

  @Override
  public Lib0Reader rest() {
    return rest;
  }

  @Override
  public ID readLeftId() throws YjsFormatException {
    return new ID(rest.readVarUint(), rest.readVarUint());
  }

  @Override
  public ID readRightId() throws YjsFormatException {
    return new ID(rest.readVarUint(), rest.readVarUint());
  }

  @Override
  public long readClient() throws YjsFormatException {
    return rest.readVarUint();
  }

  @Override
  public int readInfo() throws YjsFormatException {
    return rest.readUint8();
  }

  @Override
  public String readString() throws YjsFormatException {
    return rest.readVarString();
  }

  @Override
  public boolean readParentInfo() throws YjsFormatException {
    return rest.readVarUint() == 1;
  }

  @Override
  public int readTypeRef() throws YjsFormatException {
    return rest.readVarUintAsInt();
  }

  @Override
  public long readLen() throws YjsFormatException {
    return rest.readVarUint();
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
    return JsonValue.ofText(rest.readVarString());
  }

  @Override
  public String readKey() throws YjsFormatException {
    return rest.readVarString();
  }

  @Override
  public void charge(long units, int at) throws YjsFormatException {
    if (units > rest.remaining()) {
      throw new YjsFormatException("count " + units + " exceeds the " + rest.remaining() + " bytes left", at);
    }
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public long readDsClock() throws YjsFormatException {
    return rest.readVarUint();
  }

  @Override
  public long readDsLen() throws YjsFormatException {
    return rest.readVarUint();
  }
}
