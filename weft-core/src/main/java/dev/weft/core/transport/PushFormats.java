package dev.weft.core.transport;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

/**
 * The push formats of the client protocol: reply-wrapped for bidirectional transports (each push is a reply
 * with id 0), bare for unidirectional ones (Centrifugo's unidirectional protocol: the {@code Push} message
 * itself, the empty push as ping).
 */
public final class PushFormats {
    private static final PushFormat JSON_REPLY = new ReplyWrapped(ProtocolType.JSON);
    private static final PushFormat PROTOBUF_REPLY = new ReplyWrapped(ProtocolType.PROTOBUF);
    private static final PushFormat JSON_BARE = new Bare(ProtocolType.JSON);
    private static final PushFormat PROTOBUF_BARE = new Bare(ProtocolType.PROTOBUF);

    private PushFormats() {
    }

    /** Pushes wrapped in replies ({@code {"push":{…}}}), pings as the empty reply {@code {}}. */
    public static PushFormat replyWrapped(ProtocolType type) {
        return type == ProtocolType.JSON ? JSON_REPLY : PROTOBUF_REPLY;
    }

    /**
     * Bare pushes ({@code {"channel":"news","pub":{…}}}), pings as the empty push {@code {}}: what
     * unidirectional transports send. One JSON push is one line, so stream transports may delimit them with
     * newlines or put each in an SSE {@code data:} field.
     */
    public static PushFormat bare(ProtocolType type) {
        return type == ProtocolType.JSON ? JSON_BARE : PROTOBUF_BARE;
    }

    private static final class Bare implements PushFormat {
        private final ProtocolCodec codec;
        private final byte[] ping;

        Bare(ProtocolType type) {
            this.codec = ProtocolCodecs.of(type);
            this.ping = codec.encodePush(new Push("", null));
        }

        @Override
        public byte[] encode(Push push, String epoch) {
            return codec.encodePush(push);
        }

        @Override
        public byte[] ping() {
            return ping.clone();
        }

        @Override
        public String toString() {
            return "bare " + codec.type();
        }
    }

    private static final class ReplyWrapped implements PushFormat {
        private final ProtocolCodec codec;
        private final byte[] ping;

        ReplyWrapped(ProtocolType type) {
            this.codec = ProtocolCodecs.of(type);
            this.ping = codec.encodeReply(Reply.PING);
        }

        @Override
        public byte[] encode(Push push, String epoch) {
            return codec.encodeReply(Reply.push(push));
        }

        @Override
        public byte[] ping() {
            return ping.clone();
        }
    }
}
