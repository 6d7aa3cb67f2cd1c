package dev.weft.server.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.core.transport.PushFormat;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.SubscribePush;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.weft.server.stream.JsonObjects.object;

/**
 * Pushes as plain Server-Sent Events, for any {@code EventSource}. Every event is one block of
 * {@code field: value} lines ended by a blank line; the {@code id:} line, when there is one, comes first
 * (the transport relies on that to rewrite ids on multi-channel streams).
 *
 * <ul>
 *   <li>publication: {@code id: <channel/epoch/offset>}, {@code event: publication}, {@code data:} the
 *       publication's data as published when it is JSON; other bytes as
 *       {@code {"encoding":"base64","data":"…"}};</li>
 *   <li>join / leave: {@code event: join|leave}, {@code data: {"channel":…,"user":…,"client":…}} (plus
 *       {@code conn_info}/{@code chan_info} when set);</li>
 *   <li>connect: for each channel that asked to recover and could not, {@code event: reset} (its id is the
 *       channel's new position), then the recovered publications, then {@code event: subscribed} with
 *       {@code data: {"channels":[…]}} and an id holding every channel's position: from here on delivery is
 *       live, and a reconnect before the next publication resumes from there. (A block with only an id
 *       would do for browsers, but clients built on {@code eventsource-parser} drop the id of a block
 *       without data.)</li>
 *   <li>subscribe / unsubscribe (server-side changes): {@code event: subscribe|unsubscribe};</li>
 *   <li>message: {@code event: message} (what {@code onmessage} receives), data as for publications;</li>
 *   <li>refresh: nothing (an EventSource cannot refresh its token);</li>
 *   <li>disconnect: {@code event: disconnect}, {@code data: {"code":…,"reason":…,"reconnect":…}}.</li>
 * </ul>
 *
 * <p>{@link #ping()} is null: the SSE transport sends its own heartbeat comment on its own interval
 * ({@code plain_sse.heartbeat_interval}), independent of the client protocol's ping.
 *
 * <p>Stateless singleton; thread-safe. Returned arrays are new and never modified afterwards.
 */
public final class SseEventFormat implements PushFormat {
    public static final SseEventFormat INSTANCE = new SseEventFormat();

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] EMPTY = new byte[0];

    private SseEventFormat() {
    }

    @Override
    public byte[] encode(Push push, String epoch) {
        String channel = push.channel();
        return switch (push.body()) {
            case Publication p -> publication(channel, epoch, p);
            case Join j -> event(null, "join", presenceData(channel, j.info()));
            case Leave l -> event(null, "leave", presenceData(channel, l.info()));
            case ConnectResult c -> connect(c);
            case SubscribePush s -> event(SseEventId.encode(channel, s.epoch(), s.offset()), "subscribe",
                    object(g -> g.writeStringField("channel", channel)));
            case UnsubscribePush u -> event(null, "unsubscribe", object(g -> {
                g.writeStringField("channel", channel);
                g.writeNumberField("code", u.code());
                g.writeStringField("reason", u.reason());
            }));
            case Message m -> event(null, "message", payload(m.data()));
            case Disconnect d -> disconnect(d);
            case RefreshPush r -> EMPTY;
        };
    }

    @Override
    public byte[] ping() {
        return null;
    }

    /** The heartbeat: a comment line, ignored by every EventSource, that keeps proxies from timing out. */
    public static byte[] heartbeat() {
        return ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The reconnection delay hint, sent first on every stream. */
    public static byte[] retry(long millis) {
        return ("retry: " + millis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The last event of a stream the server ends. */
    public static byte[] disconnect(Disconnect d) {
        return event(null, "disconnect", object(g -> {
            g.writeNumberField("code", d.code());
            g.writeStringField("reason", d.reason());
            g.writeBooleanField("reconnect", d.reconnect());
        }));
    }

    /**
     * Tells the client it missed publications of {@code channel} that cannot be sent any more; its id (when
     * given) is the position delivery continues from.
     */
    public static byte[] reset(String channel, String id, String reason) {
        return event(id, "reset", object(g -> {
            g.writeStringField("channel", channel);
            g.writeStringField("reason", reason);
        }));
    }

    private static byte[] publication(String channel, String epoch, Publication p) {
        return event(SseEventId.encode(channel, epoch, p.offset()), "publication", payload(p.data()));
    }

    private static byte[] connect(ConnectResult c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> positions = new ArrayList<>(c.subs().size());
        for (Map.Entry<String, SubscribeResult> e : c.subs().entrySet()) {
            String channel = e.getKey();
            SubscribeResult r = e.getValue();
            String position = SseEventId.encode(channel, r.epoch(), r.offset());
            positions.add(position);
            if (r.wasRecovering() && !r.recovered()) {
                out.writeBytes(reset(channel, position, "publications were missed and are no longer in history"));
            }
            for (Publication p : r.publications()) {
                out.writeBytes(publication(channel, r.epoch(), p));
            }
        }
        if (!positions.isEmpty()) {
            out.writeBytes(event(String.join(",", positions), "subscribed", object(g -> {
                g.writeArrayFieldStart("channels");
                for (String channel : c.subs().keySet()) {
                    g.writeString(channel);
                }
                g.writeEndArray();
            })));
        }
        return out.toByteArray();
    }

    private static byte[] event(String id, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        if (id != null) {
            out.writeBytes(("id: " + id + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(new byte[] {'\n', '\n'});
        return out.toByteArray();
    }

    /**
     * Payload bytes for a {@code data:} line: JSON as it is (raw CR and LF, which valid JSON only has between
     * tokens, become spaces so the value stays on one line); anything else base64 in a small envelope.
     */
    static byte[] payload(byte[] data) {
        if (data != null && isJson(data)) {
            return withoutLineBreaks(data);
        }
        byte[] bytes = data == null ? EMPTY : data;
        return object(g -> {
            g.writeStringField("encoding", "base64");
            g.writeStringField("data", Base64.getEncoder().encodeToString(bytes));
        });
    }

    private static byte[] presenceData(String channel, ClientInfo info) {
        return object(g -> {
            g.writeStringField("channel", channel);
            if (info == null) {
                return;
            }
            g.writeStringField("user", info.user());
            g.writeStringField("client", info.client());
            if (info.connInfo() != null && info.connInfo().length > 0) {
                g.writeFieldName("conn_info");
                g.writeRawValue(new String(payload(info.connInfo()), StandardCharsets.UTF_8));
            }
            if (info.chanInfo() != null && info.chanInfo().length > 0) {
                g.writeFieldName("chan_info");
                g.writeRawValue(new String(payload(info.chanInfo()), StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Whether {@code data} is exactly one JSON value in well-formed UTF-8 (the only encoding an event stream
     * has; Jackson's own detection would also accept UTF-16 and UTF-32, which must not pass as text).
     */
    static boolean isJson(byte[] data) {
        if (data.length == 0) {
            return false;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** JSON on one line: raw CR and LF (only ever between tokens in valid JSON) become spaces. */
    public static byte[] withoutLineBreaks(byte[] json) {
        byte[] copy = null;
        for (int i = 0; i < json.length; i++) {
            if (json[i] == '\n' || json[i] == '\r') {
                if (copy == null) {
                    copy = json.clone();
                }
                copy[i] = ' ';
            }
        }
        return copy == null ? json : copy;
    }
}
