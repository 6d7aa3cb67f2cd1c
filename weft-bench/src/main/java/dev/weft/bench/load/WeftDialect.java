package dev.weft.bench.load;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weft's (Centrifugo's) client protocol over {@code /connection/websocket}, JSON or Protobuf: connect and
 * subscribe commands in the first frame, publication pushes parsed with Weft's own codec, publishing with
 * the client {@code publish} command (the bench config lets any client publish).
 */
public final class WeftDialect implements Dialect {

    private final ProtocolType format;
    private final ProtocolCodec codec;

    public WeftDialect(ProtocolType format) {
        this.format = format;
        this.codec = ProtocolCodecs.of(format);
    }

    @Override
    public URI subscriberUri(URI base, List<String> channels) {
        return publisherUri(base);
    }

    @Override
    public URI publisherUri(URI base) {
        return base.resolve(format == ProtocolType.PROTOBUF
                ? "/connection/websocket?format=protobuf" : "/connection/websocket");
    }

    @Override
    public ClientSession subscriber(List<String> channels, Deliveries deliveries) {
        return new Session(channels, deliveries);
    }

    @Override
    public ClientSession publisher() {
        return new Session(List.of(), null);
    }

    private final class Session extends ClientSession {
        private final List<String> channels;
        private final Deliveries deliveries;
        private int awaitedReplies;
        private int nextId;

        Session(List<String> channels, Deliveries deliveries) {
            this.channels = channels;
            this.deliveries = deliveries;
        }

        @Override
        protected void opened() {
            List<Command> commands = new ArrayList<>();
            commands.add(new Command(++nextId, new ConnectRequest("", null, Map.of(), "weft-bench", "", Map.of())));
            for (String channel : channels) {
                commands.add(new Command(++nextId, SubscribeRequest.of(channel)));
            }
            awaitedReplies = commands.size();
            send(codec.encodeCommands(commands));
        }

        @Override
        protected void received(ByteBuf content, boolean text) {
            long now = Payload.now();
            List<Reply> replies;
            try {
                replies = codec.decodeReplies(ByteBufUtil.getBytes(content));
            } catch (ProtocolDecodeException e) {
                fail("undecodable frame: " + e.getMessage());
                return;
            }
            for (Reply reply : replies) {
                if (reply.id() != 0) {
                    if (reply.error() != null) {
                        fail("command " + reply.id() + " refused: " + reply.error());
                    } else if (--awaitedReplies == 0) {
                        markReady();
                    }
                } else if (reply.result() instanceof Push push && push.body() instanceof Publication pub) {
                    if (deliveries != null) {
                        deliveries.delivered(Payload.sentNanos(pub.data()), now);
                    }
                } else if (reply.result() == null && reply.error() == null) {
                    send(codec.encodeCommands(List.of(Command.PONG)));
                }
            }
        }

        @Override
        public void publish(String target, byte[] payload) {
            byte[] frame = codec.encodeCommands(List.of(new Command(++nextId, new PublishRequest(target, payload))));
            if (format == ProtocolType.PROTOBUF) {
                writeBinary(frame);
            } else {
                writeText(frame);
            }
        }

        private void send(byte[] frame) {
            if (format == ProtocolType.PROTOBUF) {
                sendBinary(frame);
            } else {
                sendText(new String(frame, StandardCharsets.UTF_8));
            }
        }
    }
}
