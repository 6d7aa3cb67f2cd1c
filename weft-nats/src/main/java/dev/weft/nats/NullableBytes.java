package dev.weft.nats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A byte array that may be null, as this module frames it: its length (-1 for null), then the bytes. */
final class NullableBytes {

    private NullableBytes() {
    }

    static void write(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
            out.write(value);
        }
    }

    static byte[] read(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
