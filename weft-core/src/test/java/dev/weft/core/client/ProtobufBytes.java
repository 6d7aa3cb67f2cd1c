package dev.weft.core.client;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Hand-made Protobuf wire bytes for the fuzz test: fields of any type, with or without length framing. */
final class ProtobufBytes {
    private ProtobufBytes() {
    }

    static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** One field: a key (number, wire type) and a value shaped by the wire type, whatever the schema says. */
    static byte[] field(int number, int wireType, long scalar, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) number << 3) | wireType);
        switch (wireType) {
            case 0 -> varint(out, scalar);
            case 1 -> {
                for (int i = 0; i < 8; i++) {
                    out.write((int) (scalar >>> (8 * i)));
                }
            }
            case 2 -> {
                varint(out, bytes.length);
                out.writeBytes(bytes);
            }
            case 5 -> {
                for (int i = 0; i < 4; i++) {
                    out.write((int) (scalar >>> (8 * i)));
                }
            }
            default -> out.writeBytes(bytes); // groups and invalid wire types: whatever follows
        }
        return out.toByteArray();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** A message with its varint length prefix, as one command of a frame. */
    static byte[] framed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, message.length);
        out.writeBytes(message);
        return out.toByteArray();
    }
}
