package dev.weft.protocol.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Base of the hand-written Protobuf encoders: two passes over a frame, sizes first, then bytes into one
 * exactly-sized array. Each nested message's size is computed once: the size pass records it in
 * {@link #sizes} in pre-order (a slot is reserved before the message's children are measured), and the
 * write pass, which visits messages in the same order, takes the sizes back with {@link #nested}. The
 * invariant a subclass keeps: {@code size(x)} and {@code writeBody(x)} visit the same nested messages in
 * the same order.
 *
 * <p>Proto3 defaults (0, {@code false}, {@code ""}, empty/{@code null} bytes, empty maps and lists) are
 * omitted; a present nested message is written even when empty (length 0), so that a reader can tell which
 * result or push body it is.
 *
 * <p>Not thread-safe: one instance encodes one frame, then is dropped.
 *
 * @param <T> the top-level message type
 */
abstract class ProtobufWriter<T> {
    private int[] sizes = new int[16];
    private int reserved;
    private int taken;

    /** Size of the body of {@code message} (without its length prefix); records nested sizes. */
    abstract int size(T message);

    /** Writes the body of {@code message}, after {@link #size} was called for it. */
    abstract void writeBody(CodedOutputStream out, T message) throws IOException;

    /** Every message of {@code messages}, each prefixed with its varint length. */
    final byte[] encodeFrame(List<? extends T> messages) {
        int total = 0;
        for (T message : messages) {
            int size = reserveAndSet(message);
            total += CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        byte[] frame = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(frame);
        try {
            for (T message : messages) {
                out.writeUInt32NoTag(next());
                writeBody(out, message);
            }
        } catch (IOException e) {
            throw new IllegalStateException("protobuf size and write passes disagree", e);
        }
        out.checkNoSpaceLeft();
        return frame;
    }

    /** Writes the body of a message of another type than {@code T}. */
    @FunctionalInterface
    interface BodyWriter<M> {
        void write(CodedOutputStream out, M message) throws IOException;
    }

    /**
     * One message of any type (a bare push, say), prefixed with its varint length. {@code size} and
     * {@code write} must keep the invariant of {@link #size} and {@link #writeBody}.
     */
    final <M> byte[] encodeOne(M message, java.util.function.ToIntFunction<M> size, BodyWriter<M> write) {
        int slot = reserve();
        int bodySize = set(slot, size.applyAsInt(message));
        byte[] frame = new byte[CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize];
        CodedOutputStream out = CodedOutputStream.newInstance(frame);
        try {
            out.writeUInt32NoTag(next());
            write.write(out, message);
        } catch (IOException e) {
            throw new IllegalStateException("protobuf size and write passes disagree", e);
        }
        out.checkNoSpaceLeft();
        return frame;
    }

    private int reserveAndSet(T message) {
        int slot = reserve();
        return set(slot, size(message));
    }

    // ---- the size memo

    /** Reserves the slot of a nested message about to be measured; call before measuring its children. */
    final int reserve() {
        if (reserved == sizes.length) {
            sizes = Arrays.copyOf(sizes, reserved * 2);
        }
        return reserved++;
    }

    /** Records the size of the message of {@code slot}; returns it. */
    final int set(int slot, int size) {
        sizes[slot] = size;
        return size;
    }

    private int next() {
        return sizes[taken++];
    }

    /** Writes the tag and length of the next nested message; its body must follow. */
    final void nested(CodedOutputStream out, int field) throws IOException {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(next());
    }

    // ---- sizes of fields (0 when omitted)

    static int messageSize(int field, int bodySize) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
    }

    static int stringSize(int field, String value) {
        return value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, value);
    }

    static int bytesSize(int field, byte[] value) {
        return value == null || value.length == 0 ? 0 : messageSize(field, value.length);
    }

    static int boolSize(int field, boolean value) {
        return value ? CodedOutputStream.computeBoolSize(field, true) : 0;
    }

    static int uint32Size(int field, int value) {
        return value == 0 ? 0 : CodedOutputStream.computeUInt32Size(field, value);
    }

    static int int32Size(int field, int value) {
        return value == 0 ? 0 : CodedOutputStream.computeInt32Size(field, value);
    }

    static int uint64Size(int field, long value) {
        return value == 0 ? 0 : CodedOutputStream.computeUInt64Size(field, value);
    }

    static int int64Size(int field, long value) {
        return value == 0 ? 0 : CodedOutputStream.computeInt64Size(field, value);
    }

    /** A {@code map<string, string>}: one entry message (key = 1, value = 2, both always written) per pair. */
    final int stringMapSize(int field, Map<String, String> map) {
        int size = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            int slot = reserve();
            int entrySize = CodedOutputStream.computeStringSize(1, entry.getKey())
                    + CodedOutputStream.computeStringSize(2, entry.getValue());
            size += messageSize(field, set(slot, entrySize));
        }
        return size;
    }

    // ---- writes of fields (nothing when the value is the default)

    static void string(CodedOutputStream out, int field, String value) throws IOException {
        if (!value.isEmpty()) {
            out.writeString(field, value);
        }
    }

    static void bytes(CodedOutputStream out, int field, byte[] value) throws IOException {
        if (value != null && value.length > 0) {
            out.writeByteArray(field, value);
        }
    }

    static void bool(CodedOutputStream out, int field, boolean value) throws IOException {
        if (value) {
            out.writeBool(field, true);
        }
    }

    static void uint32(CodedOutputStream out, int field, int value) throws IOException {
        if (value != 0) {
            out.writeUInt32(field, value);
        }
    }

    static void int32(CodedOutputStream out, int field, int value) throws IOException {
        if (value != 0) {
            out.writeInt32(field, value);
        }
    }

    static void uint64(CodedOutputStream out, int field, long value) throws IOException {
        if (value != 0) {
            out.writeUInt64(field, value);
        }
    }

    static void int64(CodedOutputStream out, int field, long value) throws IOException {
        if (value != 0) {
            out.writeInt64(field, value);
        }
    }

    final void stringMap(CodedOutputStream out, int field, Map<String, String> map) throws IOException {
        for (Map.Entry<String, String> entry : map.entrySet()) {
            nested(out, field);
            out.writeString(1, entry.getKey());
            out.writeString(2, entry.getValue());
        }
    }
}
