package dev.weft.core.hub;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

/**
 * A push encoded at most once per protocol format, on first use: the same bytes then go to every
 * subscriber of that format.
 *
 * <p>Thread-safe: racing first uses may both encode; the results are identical and either may win.
 */
public final class EncodedPush {
    private final Push push;
    private volatile byte[] json;
    private volatile byte[] protobuf;

    public EncodedPush(Push push) {
        this.push = push;
    }

    public Push push() {
        return push;
    }

    public byte[] bytes(ProtocolType type) {
        if (type == ProtocolType.JSON) {
            byte[] b = json;
            if (b == null) {
                json = b = ProtocolCodecs.of(type).encodeReply(Reply.push(push));
            }
            return b;
        }
        byte[] b = protobuf;
        if (b == null) {
            protobuf = b = ProtocolCodecs.of(type).encodeReply(Reply.push(push));
        }
        return b;
    }
}
