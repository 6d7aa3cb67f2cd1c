package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes commands from a byte stream that arrives in arbitrary chunks (an HTTP-streaming request body),
 * where a command may be split across chunks. JSON commands end at {@code '\n'}; Protobuf commands are
 * prefixed with their varint length. Incomplete data is buffered until the rest arrives.
 *
 * <p>No single command may be longer than {@code maxCommandBytes} (a JSON line without its newline, a
 * Protobuf message without its length prefix); a longer one fails the stream with
 * {@link ProtocolDecodeException} as soon as that is known, whatever the chunking. So a client cannot make
 * the server buffer more than {@code maxCommandBytes} (plus one chunk while it is being scanned).
 *
 * <p>After an exception the stream is broken: further calls throw {@link IllegalStateException}.
 *
 * <p>Not thread-safe: feed one stream from one thread (e.g. the connection's event loop).
 */
public final class CommandStreamDecoder {
    private static final int INITIAL_CAPACITY = 256;
    /** A buffer grown past this is dropped once it is empty again, so an idle stream holds little memory. */
    private static final int RETAINED_CAPACITY = 64 * 1024;
    private static final int MAX_VARINT_BYTES = 10;

    private final ProtocolType type;
    private final int maxCommandBytes;
    private final JsonCodec json;
    private final ProtobufCodec protobuf;

    /** Pending bytes are {@code buffer[start, end)}. */
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int start;
    private int end;
    /** JSON only: {@code buffer[start, scanned)} holds no {@code '\n'}, so scanning resumes at {@code scanned}. */
    private int scanned;
    private boolean failed;

    /**
     * @param type            the stream's encoding
     * @param maxCommandBytes the largest command accepted, in bytes (at least 1)
     */
    public CommandStreamDecoder(ProtocolType type, int maxCommandBytes) {
        if (maxCommandBytes < 1) {
            throw new IllegalArgumentException("maxCommandBytes must be positive: " + maxCommandBytes);
        }
        this.type = type;
        this.maxCommandBytes = maxCommandBytes;
        this.json = type == ProtocolType.JSON ? (JsonCodec) ProtocolCodecs.of(type) : null;
        this.protobuf = type == ProtocolType.PROTOBUF ? (ProtobufCodec) ProtocolCodecs.of(type) : null;
    }

    public ProtocolType type() {
        return type;
    }

    /** Bytes of incomplete commands held until more data arrives. */
    public int bufferedBytes() {
        return end - start;
    }

    /**
     * Adds {@code chunk[offset, offset + length)} to the stream and returns the commands it completes, in
     * order (possibly none).
     *
     * @throws ProtocolDecodeException if a completed command is malformed or a command exceeds the limit
     */
    public List<Command> feed(byte[] chunk, int offset, int length) throws ProtocolDecodeException {
        checkUsable();
        append(chunk, offset, length);
        List<Command> commands = new ArrayList<>();
        try {
            if (json != null) {
                decodeJsonLines(commands);
            } else {
                decodeProtobufMessages(commands);
            }
        } catch (ProtocolDecodeException e) {
            failed = true;
            throw e;
        }
        compact();
        return commands;
    }

    /**
     * Ends the stream: returns the last command if it was complete but unterminated (a JSON line without
     * a final newline), and fails if an incomplete command remains.
     */
    public List<Command> finish() throws ProtocolDecodeException {
        checkUsable();
        failed = true; // nothing may be fed after the end
        if (start == end) {
            return List.of();
        }
        if (json != null) {
            checkSize(end - start);
            Command last = json.decodeCommandLine(buffer, start, end);
            start = end;
            return last == null ? List.of() : List.of(last);
        }
        throw new ProtocolDecodeException("stream ended inside a Protobuf command (" + (end - start) + " bytes)");
    }

    private void decodeJsonLines(List<Command> commands) throws ProtocolDecodeException {
        int from = Math.max(scanned, start);
        for (int i = from; i < end; i++) {
            if (buffer[i] == '\n') {
                checkSize(i - start);
                Command command = json.decodeCommandLine(buffer, start, i);
                if (command != null) {
                    commands.add(command);
                }
                start = i + 1;
            }
        }
        scanned = end;
        checkSize(end - start);
    }

    private void decodeProtobufMessages(List<Command> commands) throws ProtocolDecodeException {
        while (start < end) {
            long length = 0;
            int prefix = 0;
            boolean complete = false;
            while (start + prefix < end && prefix < MAX_VARINT_BYTES) {
                byte b = buffer[start + prefix];
                length |= (long) (b & 0x7F) << (7 * prefix);
                prefix++;
                if (b >= 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete) {
                if (prefix == MAX_VARINT_BYTES) {
                    throw new ProtocolDecodeException("malformed Protobuf length prefix");
                }
                return; // the rest of the prefix has not arrived yet
            }
            if (length < 0 || length > maxCommandBytes) {
                throw tooLarge(Long.toUnsignedString(length));
            }
            if (end - start - prefix < length) {
                return;
            }
            commands.add(protobuf.decodeCommandMessage(buffer, start + prefix, (int) length));
            start += prefix + (int) length;
        }
    }

    private void checkSize(int commandBytes) throws ProtocolDecodeException {
        if (commandBytes > maxCommandBytes) {
            throw tooLarge(commandBytes + "+");
        }
    }

    private ProtocolDecodeException tooLarge(String size) {
        return new ProtocolDecodeException("command of " + size + " bytes exceeds the limit of " + maxCommandBytes);
    }

    private void append(byte[] chunk, int offset, int length) {
        if (end + length > buffer.length) {
            int pending = end - start;
            if (pending + length > buffer.length) {
                buffer = Arrays.copyOfRange(buffer, start, start + Math.max(buffer.length * 2, pending + length));
            } else {
                System.arraycopy(buffer, start, buffer, 0, pending);
            }
            scanned -= start;
            start = 0;
            end = pending;
        }
        System.arraycopy(chunk, offset, buffer, end, length);
        end += length;
    }

    private void compact() {
        if (start == end) {
            start = 0;
            end = 0;
            scanned = 0;
            if (buffer.length > RETAINED_CAPACITY) {
                buffer = new byte[INITIAL_CAPACITY];
            }
        }
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("the command stream already failed or ended");
        }
    }
}
