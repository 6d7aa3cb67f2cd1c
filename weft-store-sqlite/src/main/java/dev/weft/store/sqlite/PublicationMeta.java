package dev.weft.store.sqlite;

import dev.weft.protocol.model.ClientInfo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The publisher's {@link ClientInfo} and the tags of a stored publication, in one blob: a version byte, then
 * length-prefixed fields. Payload bytes ({@code connInfo}, {@code chanInfo}) are kept exactly as given. Null
 * stands for "no info, no tags", the common case, so most rows carry nothing here.
 */
final class PublicationMeta {

    private static final int VERSION = 1;
    private static final int ABSENT = -1;

    private PublicationMeta() {
    }

    static byte[] encode(ClientInfo info, Map<String, String> tags) {
        if (info == null && tags.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeBoolean(info != null);
            if (info != null) {
                writeString(out, info.user());
                writeString(out, info.client());
                writeBytes(out, info.connInfo());
                writeBytes(out, info.chanInfo());
            }
            out.writeInt(tags.size());
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                writeString(out, tag.getKey());
                writeString(out, tag.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What {@link #encode} wrote; {@code null} gives no info and no tags. */
    record Decoded(ClientInfo info, Map<String, String> tags) {
    }

    static Decoded decode(byte[] blob) {
        if (blob == null) {
            return new Decoded(null, Map.of());
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("publication meta version " + version + " is unknown");
            }
            ClientInfo info = null;
            if (in.readBoolean()) {
                info = new ClientInfo(readString(in), readString(in), readBytes(in), readBytes(in));
            }
            int count = in.readInt();
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                tags.put(readString(in), readString(in));
            }
            return new Decoded(info, tags);
        } catch (IOException e) {
            throw new IllegalStateException("publication meta is damaged", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(ABSENT);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == ABSENT) {
            return null;
        }
        return in.readNBytes(length);
    }
}
