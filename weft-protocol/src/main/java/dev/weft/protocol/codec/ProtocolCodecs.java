package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;

/** The codec of each {@link ProtocolType}: shared, stateless, thread-safe singletons. */
public final class ProtocolCodecs {
    private static final ProtocolCodec JSON = new JsonCodec();
    private static final ProtocolCodec PROTOBUF = new ProtobufCodec();

    private ProtocolCodecs() {
    }

    public static ProtocolCodec of(ProtocolType type) {
        return switch (type) {
            case JSON -> JSON;
            case PROTOBUF -> PROTOBUF;
        };
    }
}
