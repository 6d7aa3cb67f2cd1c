package dev.weft.server.ai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.core.CommandFailedException;
import dev.weft.core.ConnectionSummary;
import dev.weft.core.Node;
import dev.weft.core.RpcHandler;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.server.stream.JsonObjects;

import java.io.IOException;

/**
 * The client RPC {@value #STOP} ({@code {"id":"<stream id>"}}): a reader stops a stream it is subscribed to —
 * the caller's connection must be subscribed to the stream's channel, on this node, when it asks. Answers
 * {@code {"state":…}}. Other methods go to the handler that was there before (none: 108, as without a handler).
 * Thread-safe; runs on the session's virtual thread.
 */
public final class AiStreamRpc implements RpcHandler {
    public static final String STOP = "ai_stop";
    private static final JsonFactory JSON = new JsonFactory();

    private final Node node;
    private final AiStreams streams;
    private final RpcHandler next;

    /** @param next the handler for every other method, or null */
    public AiStreamRpc(Node node, AiStreams streams, RpcHandler next) {
        this.node = node;
        this.streams = streams;
        this.next = next;
    }

    @Override
    public byte[] onRpc(ClientInfo client, String method, byte[] data) {
        if (!STOP.equals(method)) {
            if (next == null) {
                throw new CommandFailedException(ErrorCode.NOT_AVAILABLE, "no rpc handler");
            }
            return next.onRpc(client, method, data);
        }
        String id = id(data);
        StreamIds.Id parsed;
        try {
            parsed = StreamIds.parse(id);
        } catch (AiStreamException e) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        boolean subscribed = node.connections(client.user(), Integer.MAX_VALUE).stream()
                .filter(c -> c.clientId().equals(client.client()))
                .map(ConnectionSummary::channels)
                .anyMatch(channels -> channels.contains(parsed.channel()));
        if (!subscribed) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "subscribe to " + parsed.channel()
                    + " to stop its streams");
        }
        try {
            AiStreams.Status status = streams.stop(id, "stopped by a reader");
            return JsonObjects.object(g -> g.writeStringField("state", status.state()));
        } catch (AiStreamException e) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    private static String id(byte[] data) {
        try (JsonParser p = JSON.createParser(data == null ? new byte[0] : data)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("id") && value == JsonToken.VALUE_STRING) {
                        return p.getText();
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // falls through to the refusal
        }
        throw new CommandFailedException(ErrorCode.BAD_REQUEST, STOP + " takes {\"id\":\"<stream id>\"}");
    }
}
