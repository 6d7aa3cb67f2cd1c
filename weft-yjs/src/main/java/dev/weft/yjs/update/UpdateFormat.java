package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;

/** The two encodings yjs has for updates: v1 (one stream) and v2 (run-length-encoded columns). */
public enum UpdateFormat {
  V1 {
    @Override
    public UpdateDecoder decoder(byte[] update) {
      return new UpdateDecoderV1(new Lib0Reader(update));
    }

    @Override
    public UpdateEncoder encoder() {
      return new UpdateEncoderV1();
    }
  },
  V2 {
    @Override
    public UpdateDecoder decoder(byte[] update) throws YjsFormatException {
      return new UpdateDecoderV2(update);
    }

    @Override
    public UpdateEncoder encoder() {
      return new UpdateEncoderV2();
    }
  };

  public abstract UpdateDecoder decoder(byte[] update) throws YjsFormatException;

  public abstract UpdateEncoder encoder();
}
