package dev.weft.nats;

import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What travels on NATS for a channel: a publication (the same bytes are stored in the history stream and
 * sent on the fan-out subject), a join, a leave, or a tombstone that ends a stream and names its successor's
 * epoch. The payload is carried as the bytes it came in as, never re-encoded.
 *
 * @param offset        the publication's offset (0 without history)
 * @param epoch         its stream's epoch ("" without history); for a tombstone, the next stream's epoch
 * @param prevSeq       JetStream sequence of the message this one was appended after (0: none) — the link a
 *                      receiver follows back to fetch publications it missed
 * @param expiresAt     when the publication leaves history, epoch millis
 * @param metaExpiresAt when the stream ends without a newer publication, epoch millis (0: never)
 * @param historySize   how many newest publications history keeps
 * @param delta         the publication was published for delta compression ({@code PublishOptions.delta})
 *
 * <p>Encoded as version 1, or as version 2 (a flags byte after the kind) only when a flag is set, so nodes
 * that know only version 1 still read every plain publication.
 */
record Envelope(Kind kind, long offset, String epoch, long prevSeq, long expiresAt, long metaExpiresAt,
                int historySize, ClientInfo info, Map<String, String> tags, byte[] data, boolean delta) {

    enum Kind { PUBLICATION, JOIN, LEAVE, TOMBSTONE }

    private static final int VERSION_1 = 1;
    /** Version 1 plus a flags byte after the kind. */
    private static final int VERSION_2 = 2;
    private static final int FLAG_DELTA = 1;

    /** Without the delta flag. */
    Envelope(Kind kind, long offset, String epoch, long prevSeq, long expiresAt, long metaExpiresAt,
             int historySize, ClientInfo info, Map<String, String> tags, byte[] data) {
        this(kind, offset, epoch, prevSeq, expiresAt, metaExpiresAt, historySize, info, tags, data, false);
    }

    static Envelope presenceEvent(Kind kind, ClientInfo info) {
        return new Envelope(kind, 0, "", 0, 0, 0, 0, info, Map.of(), new byte[0]);
    }

    static Envelope tombstone(String nextEpoch) {
        return new Envelope(Kind.TOMBSTONE, 0, nextEpoch, 0, 0, 0, 0, null, Map.of(), new byte[0]);
    }

    Publication publication() {
        return new Publication(data, info, offset, tags, 0);
    }

    boolean metaExpired(long now) {
        return metaExpiresAt != 0 && metaExpiresAt <= now;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + data.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(delta ? VERSION_2 : VERSION_1);
            out.writeByte(kind.ordinal());
            if (delta) {
                out.writeByte(FLAG_DELTA);
            }
            out.writeLong(offset);
            out.writeUTF(epoch);
            out.writeLong(prevSeq);
            out.writeLong(expiresAt);
            out.writeLong(metaExpiresAt);
            out.writeInt(historySize);
            out.writeBoolean(info != null);
            if (info != null) {
                out.writeUTF(info.user());
                out.writeUTF(info.client());
                NullableBytes.write(out, info.connInfo());
                NullableBytes.write(out, info.chanInfo());
            }
            out.writeInt(tags.size());
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                out.writeUTF(tag.getKey());
                out.writeUTF(tag.getValue());
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes; throws {@link IllegalArgumentException} for bytes that are not an envelope of a known version. */
    static Envelope decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION_1 && version != VERSION_2) {
                throw new IllegalArgumentException("unknown envelope version " + version);
            }
            Kind kind = Kind.values()[in.readUnsignedByte()];
            int flags = version == VERSION_2 ? in.readUnsignedByte() : 0;
            long offset = in.readLong();
            String epoch = in.readUTF();
            long prevSeq = in.readLong();
            long expiresAt = in.readLong();
            long metaExpiresAt = in.readLong();
            int historySize = in.readInt();
            ClientInfo info = null;
            if (in.readBoolean()) {
                info = new ClientInfo(in.readUTF(), in.readUTF(), NullableBytes.read(in), NullableBytes.read(in));
            }
            int tagCount = in.readInt();
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(in.readUTF(), in.readUTF());
            }
            byte[] data = in.readAllBytes();
            return new Envelope(kind, offset, epoch, prevSeq, expiresAt, metaExpiresAt, historySize, info,
                    tags, data, (flags & FLAG_DELTA) != 0);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not an envelope: " + e.getMessage(), e);
        }
    }
}
