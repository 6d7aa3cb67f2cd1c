package dev.weft.protocol.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.EmulationRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The body of an {@code /emulation} request, in the two framings the SDKs use (centrifuge-js sends JSON
 * with {@code Content-Type: application/json} from its JSON build and Protobuf with
 * {@code application/octet-stream} from its Protobuf build):
 *
 * <ul>
 *   <li><b>JSON</b>: {@code {"node":"…","session":"…","data":"<commands>"}} — {@code data} is a JSON
 *       <em>string</em> holding the newline-separated JSON commands (the SDK sends
 *       {@code JSON.stringify({session, node, data})} with {@code data} already encoded). Unknown fields are
 *       skipped, {@code null} means absent.</li>
 *   <li><b>Protobuf</b>: message {@code EmulationRequest {string node = 1; string session = 2; bytes data = 3;}}
 *       — {@code data} holds varint-length-prefixed commands. Unknown fields are skipped.</li>
 * </ul>
 *
 * <p>Decoding checks only the envelope; the commands inside are decoded by the session's codec.
 *
 * <p>Stateless and thread-safe.
 */
public final class EmulationRequestCodec {
    private static final int NODE = 1;
    private static final int SESSION = 2;
    private static final int DATA = 3;

    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private EmulationRequestCodec() {
    }

    /**
     * Decodes a request body.
     *
     * @param format the framing the body claims ({@code application/octet-stream} = Protobuf, else JSON)
     * @throws ProtocolDecodeException when the body is not one well-formed request
     */
    public static EmulationRequest decode(ProtocolType format, byte[] body) throws ProtocolDecodeException {
        return format == ProtocolType.PROTOBUF ? decodeProtobuf(body) : decodeJson(body);
    }

    /** Encodes a request (the client side; used by tests and tools). */
    public static byte[] encode(ProtocolType format, EmulationRequest request) {
        return format == ProtocolType.PROTOBUF ? encodeProtobuf(request) : encodeJson(request);
    }

    private static EmulationRequest decodeJson(byte[] body) throws ProtocolDecodeException {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolDecodeException("emulation request is not a JSON object");
            }
            String node = "";
            String session = "";
            String data = "";
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "node" -> node = string(parser, value, field);
                    case "session" -> session = string(parser, value, field);
                    case "data" -> data = string(parser, value, field);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new ProtocolDecodeException("unexpected data after the emulation request object");
            }
            return new EmulationRequest(node, session, data.getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ProtocolDecodeException("malformed JSON emulation request: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtocolDecodeException("unreadable JSON emulation request: " + e.getMessage(), e);
        }
    }

    private static String string(JsonParser parser, JsonToken value, String field)
            throws IOException, ProtocolDecodeException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return "";
        }
        throw new ProtocolDecodeException("field '" + field + "' of the emulation request must be a string");
    }

    private static EmulationRequest decodeProtobuf(byte[] body) throws ProtocolDecodeException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String node = "";
        String session = "";
        byte[] data = null;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufInput.fieldNumber(tag)) {
                    case NODE -> node = ProtobufInput.string(in, tag, "node");
                    case SESSION -> session = ProtobufInput.string(in, tag, "session");
                    case DATA -> data = ProtobufInput.bytes(in, tag, "data");
                    default -> ProtobufInput.skip(in, tag);
                }
            }
        } catch (InvalidProtocolBufferException | ProtocolDecodeException e) {
            throw new ProtocolDecodeException("malformed Protobuf emulation request: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProtocolDecodeException("unreadable Protobuf emulation request: " + e.getMessage(), e);
        }
        return new EmulationRequest(node, session, data);
    }

    private static byte[] encodeJson(EmulationRequest request) {
        ByteArrayBuilder bytes = new ByteArrayBuilder();
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("node", request.node());
            out.writeStringField("session", request.session());
            out.writeStringField("data", new String(request.data(), StandardCharsets.UTF_8));
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] encodeProtobuf(EmulationRequest request) {
        int size = ProtobufWriter.stringSize(NODE, request.node()) + ProtobufWriter.stringSize(SESSION, request.session())
                + ProtobufWriter.bytesSize(DATA, request.data());
        byte[] out = new byte[size];
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        try {
            ProtobufWriter.string(coded, NODE, request.node());
            ProtobufWriter.string(coded, SESSION, request.session());
            ProtobufWriter.bytes(coded, DATA, request.data());
            coded.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("writing Protobuf to a sized array cannot fail", e);
        }
        return out;
    }
}
