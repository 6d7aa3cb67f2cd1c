package dev.weft.redis.internal;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary form of what Weft keeps in and sends through Redis. Payloads travel byte for byte: the data of a
 * publication is the tail of its body, never parsed.
 *
 * <pre>
 * body     = tags info data          (kept in a stream entry; published after a "p&lt;offset&gt;:&lt;epoch&gt;:"
 * header)
 * tags     = varint count, count × (string key, string value)
 * info     = 0 (none) | 1 string user, string client, bytes? connInfo, bytes? chanInfo
 * data     = every remaining byte
 * string   = varint length, UTF-8;   bytes? = varint (length + 1), bytes; 0 = null
 * message  = 'p' offset ':' epoch ':' body | 'd' offset ':' epoch ':' body | 'j' info | 'l' info  (pub/sub)
 * </pre>
 *
 * A {@code 'd'} message is a publication published for delta compression ({@code PublishOptions.delta}); the
 * flag is not kept in history, which only recovery reads. Plain publications keep the {@code 'p'} form, so
 * nodes without delta support still read them.
 *
 * Stateless and thread-safe.
 */
public final class Wire {

    public static final byte PUBLICATION = 'p';
    public static final byte DELTA_PUBLICATION = 'd';
    public static final byte JOIN = 'j';
    public static final byte LEAVE = 'l';

    private Wire() {
    }

    /** The body of a publication: tags, info, then the data as is. */
    public static byte[] body(byte[] data, ClientInfo info, Map<String, String> tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 32);
        writeVarint(out, tags.size());
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            writeString(out, tag.getKey());
            writeString(out, tag.getValue());
        }
        writeInfo(out, info);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Reads a body written by {@link #body} into a publication at {@code offset}. */
    public static Publication publication(byte[] body, long offset) {
        return publication(ByteBuffer.wrap(body), offset);
    }

    /** Reads a body from {@code buffer}'s position to its limit. */
    public static Publication publication(ByteBuffer buffer, long offset) {
        try {
            int tagCount = readVarint(buffer);
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(readString(buffer), readString(buffer));
            }
            ClientInfo info = readInfo(buffer);
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            return new Publication(data, info, offset, tags, 0);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed publication body", e);
        }
    }

    /** The kind byte of a publication's pub/sub message. */
    public static byte publicationKind(boolean delta) {
        return delta ? DELTA_PUBLICATION : PUBLICATION;
    }

    /** A join or leave message: {@code kind} then the info. */
    public static byte[] presenceEvent(byte kind, ClientInfo info) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(kind);
        writeInfo(out, info);
        return out.toByteArray();
    }

    public static byte[] info(ClientInfo info) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        writeInfo(out, info);
        return out.toByteArray();
    }

    public static ClientInfo info(ByteBuffer buffer) {
        try {
            return readInfo(buffer);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed client info", e);
        }
    }

    private static void writeInfo(ByteArrayOutputStream out, ClientInfo info) {
        if (info == null) {
            out.write(0);
            return;
        }
        out.write(1);
        writeString(out, info.user());
        writeString(out, info.client());
        writeNullable(out, info.connInfo());
        writeNullable(out, info.chanInfo());
    }

    private static ClientInfo readInfo(ByteBuffer in) {
        byte present = in.get();
        if (present == 0) {
            return null;
        }
        return new ClientInfo(readString(in), readString(in), readNullable(in), readNullable(in));
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuffer in) {
        byte[] bytes = new byte[checkedLength(in, readVarint(in))];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeNullable(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes == null) {
            writeVarint(out, 0);
            return;
        }
        writeVarint(out, bytes.length + 1);
        out.writeBytes(bytes);
    }

    private static byte[] readNullable(ByteBuffer in) {
        int n = readVarint(in);
        if (n == 0) {
            return null;
        }
        byte[] bytes = new byte[checkedLength(in, n - 1)];
        in.get(bytes);
        return bytes;
    }

    private static int checkedLength(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " beyond the " + in.remaining() + " bytes left");
        }
        return length;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
