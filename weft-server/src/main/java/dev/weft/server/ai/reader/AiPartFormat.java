package dev.weft.server.ai.reader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.core.transport.PushFormat;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.server.ai.AiStreams;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the engine hands stream parts to {@link AiStreamTransport}: not wire bytes but records the transport
 * reads back — each publication with its position, stream id, state tag and, for text and reasoning deltas,
 * the delta's id and text, so the JSON of a part is read once per publication (the engine encodes once per
 * format and shares the bytes between readers), never once per reader. Stateless singleton.
 */
final class AiPartFormat implements PushFormat {
    static final AiPartFormat INSTANCE = new AiPartFormat();
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte PART = 'P';
    private static final byte CONNECTED = 'C';
    private static final byte GAP = 'X';
    private static final byte DISCONNECT = 'D';
    private static final byte PING = 'K';
    private static final byte[] NOTHING = new byte[0];

    /** One record read back. */
    sealed interface Event {
    }

    /**
     * A part. {@code deltaId}/{@code delta} are set for {@code text-delta} and {@code reasoning-delta} parts
     * (mergeable), else null.
     */
    record Part(long offset, String epoch, String stream, String state, String type, String deltaId, String delta,
                byte[] json) implements Event {
    }

    /** The subscription is live from {@code offset}; publications it recovered follow. */
    record Connected(long offset, String epoch) implements Event {
    }

    /** History could not cover what the reader asked to resume from. */
    record Gap() implements Event {
    }

    record Ping() implements Event {
    }

    record Ended(String reason) implements Event {
    }

    private AiPartFormat() {
    }

    @Override
    public byte[] encode(Push push, String epoch) {
        return switch (push.body()) {
            case Publication p -> write(out -> part(out, p, epoch));
            case ConnectResult c -> write(out -> {
                for (SubscribeResult r : c.subs().values()) {
                    if (r.wasRecovering() && !r.recovered()) {
                        out.writeByte(GAP);
                    }
                    out.writeByte(CONNECTED);
                    out.writeLong(r.offset());
                    out.writeUTF(r.epoch());
                    for (Publication p : r.publications()) {
                        part(out, p, r.epoch());
                    }
                }
            });
            case Disconnect d -> write(out -> {
                out.writeByte(DISCONNECT);
                out.writeUTF(d.reason());
            });
            default -> NOTHING;
        };
    }

    @Override
    public byte[] ping() {
        return new byte[] {PING};
    }

    /** The records of one frame, in order. */
    static List<Event> read(byte[] frame) {
        List<Event> events = new ArrayList<>(2);
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame))) {
            while (in.available() > 0) {
                byte kind = in.readByte();
                switch (kind) {
                    case PART -> {
                        long offset = in.readLong();
                        String epoch = in.readUTF();
                        String stream = in.readUTF();
                        String state = in.readUTF();
                        String type = in.readUTF();
                        boolean delta = in.readBoolean();
                        String deltaId = delta ? in.readUTF() : null;
                        String text = delta ? readLongString(in) : null;
                        byte[] json = new byte[in.readInt()];
                        in.readFully(json);
                        events.add(new Part(offset, epoch, stream, state, type, deltaId, text, json));
                    }
                    case CONNECTED -> events.add(new Connected(in.readLong(), in.readUTF()));
                    case GAP -> events.add(new Gap());
                    case PING -> events.add(new Ping());
                    case DISCONNECT -> events.add(new Ended(in.readUTF()));
                    default -> throw new IllegalStateException("unknown record " + kind);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** A publication as a reader would get it from the engine (for catch-up read from history). */
    static Part part(Publication p, String epoch) {
        return (Part) read(write(out -> part(out, p, epoch))).getFirst();
    }

    private static void part(DataOutputStream out, Publication p, String epoch) throws IOException {
        out.writeByte(PART);
        out.writeLong(p.offset());
        out.writeUTF(epoch);
        out.writeUTF(p.tags().getOrDefault(AiStreams.TAG_STREAM, ""));
        out.writeUTF(p.tags().getOrDefault(AiStreams.TAG_PART, ""));
        String[] typeIdDelta = inspect(p.data());
        out.writeUTF(typeIdDelta[0]);
        boolean mergeable = typeIdDelta[1] != null && typeIdDelta[2] != null
                && (typeIdDelta[0].equals("text-delta") || typeIdDelta[0].equals("reasoning-delta"));
        out.writeBoolean(mergeable);
        if (mergeable) {
            out.writeUTF(typeIdDelta[1]);
            writeLongString(out, typeIdDelta[2]);
        }
        out.writeInt(p.data().length);
        out.write(p.data());
    }

    /** type, id, delta of a part ("" type when it is not a part object). */
    private static String[] inspect(byte[] json) {
        String[] out = {"", null, null};
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    switch (name) {
                        case "type" -> out[0] = p.getText();
                        case "id" -> out[1] = p.getText();
                        case "delta" -> out[2] = p.getText();
                        default -> {
                        }
                    }
                } else {
                    if (name.equals("type") || name.equals("id") || name.equals("delta")) {
                        return new String[] {out[0], null, null};
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return new String[] {"", null, null};
        }
        return out;
    }

    private static void writeLongString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLongString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String toString() {
        return "AI stream parts";
    }
}
