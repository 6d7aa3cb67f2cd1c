package dev.weft.protocol.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.Map;

/**
 * Typed reads of proto3 fields from a {@link CodedInputStream}, shared by the Protobuf readers. A known
 * field with the wrong wire type is rejected (rather than skipped as an unknown field) so that a broken
 * peer is noticed; unknown fields are skipped. Stateless.
 */
final class ProtobufInput {
    private ProtobufInput() {
    }

    /** Reads one message body (the stream's current limit ends it). */
    @FunctionalInterface
    interface MessageReader<T> {
        T read(CodedInputStream in) throws IOException, ProtocolDecodeException;
    }

    static int fieldNumber(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    static String string(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.readStringRequireUtf8();
    }

    /** A {@code bytes} field; an empty value is the proto3 default and reads as {@code null} ("absent"). */
    static byte[] bytes(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        byte[] value = in.readByteArray();
        return value.length == 0 ? null : value;
    }

    static boolean bool(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readBool();
    }

    static int uint32(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readUInt32();
    }

    static int int32(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt32();
    }

    static long uint64(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readUInt64();
    }

    static long int64(CodedInputStream in, int tag, String field) throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    /** A nested message: its length prefix becomes the stream's limit while {@code reader} reads it. */
    static <T> T message(CodedInputStream in, int tag, String field, MessageReader<T> reader)
            throws IOException, ProtocolDecodeException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        int outerLimit = in.pushLimit(length);
        T value = reader.read(in);
        in.popLimit(outerLimit);
        return value;
    }

    /** One entry of a {@code map<string, V>} field (a message with key = 1, value = 2), added to {@code into}. */
    static <V> void mapEntry(CodedInputStream in, int tag, String field, Map<String, V> into,
                             MessageReader<V> valueReader, V absentValue)
            throws IOException, ProtocolDecodeException {
        message(in, tag, field, entry -> {
            String key = "";
            V value = absentValue;
            for (int entryTag; (entryTag = entry.readTag()) != 0; ) {
                switch (fieldNumber(entryTag)) {
                    case 1 -> key = string(entry, entryTag, field + " key");
                    case 2 -> value = message(entry, entryTag, field + " value", valueReader);
                    default -> skip(entry, entryTag);
                }
            }
            into.put(key, value);
            return null;
        });
    }

    /** One entry of a {@code map<string, string>} field. */
    static void stringMapEntry(CodedInputStream in, int tag, String field, Map<String, String> into)
            throws IOException, ProtocolDecodeException {
        message(in, tag, field, entry -> {
            String key = "";
            String value = "";
            for (int entryTag; (entryTag = entry.readTag()) != 0; ) {
                switch (fieldNumber(entryTag)) {
                    case 1 -> key = string(entry, entryTag, field + " key");
                    case 2 -> value = string(entry, entryTag, field + " value");
                    default -> skip(entry, entryTag);
                }
            }
            into.put(key, value);
            return null;
        });
    }

    /** Messages whose only field is {@code bytes data = 1}. */
    static byte[] dataOnly(CodedInputStream in) throws IOException, ProtocolDecodeException {
        byte[] data = null;
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (fieldNumber(tag) == 1) {
                data = bytes(in, tag, "data");
            } else {
                skip(in, tag);
            }
        }
        return data;
    }

    /** Skips an unknown field. */
    static void skip(CodedInputStream in, int tag) throws IOException, ProtocolDecodeException {
        if (!in.skipField(tag)) {
            throw new ProtocolDecodeException("unexpected end-group tag for field " + fieldNumber(tag));
        }
    }

    /** Reads every field of a message that has none this side knows. */
    static <T> T skipAll(CodedInputStream in, T value) throws IOException, ProtocolDecodeException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            skip(in, tag);
        }
        return value;
    }

    private static void expect(int tag, int wireType, String field) throws ProtocolDecodeException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new ProtocolDecodeException("field '" + field + "' (" + fieldNumber(tag) + "): wire type "
                    + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }
}
