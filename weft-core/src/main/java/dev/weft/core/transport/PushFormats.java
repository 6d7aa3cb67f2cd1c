package dev.weft.core.transport;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

/** The push formats of the bidirectional client protocol: each push is a reply with id 0. */
public final class PushFormats {
    private static final PushFormat JSON_REPLY = new ReplyWrapped(ProtocolType.JSON);
    private static final PushFormat PROTOBUF_REPLY = new ReplyWrapped(ProtocolType.PROTOBUF);

    private PushFormats() {
    }

    /** Pushes wrapped in replies ({@code {"push":{…}}}), pings as the empty reply {@code {}}. */
    public static PushFormat replyWrapped(ProtocolType type) {
        return type == ProtocolType.JSON ? JSON_REPLY : PROTOBUF_REPLY;
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
