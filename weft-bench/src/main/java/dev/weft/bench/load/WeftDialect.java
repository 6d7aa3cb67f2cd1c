package dev.weft.bench.load;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import io.netty.buffer.ByteBuf;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weft's (Centrifugo's) client protocol over {@code /connection/websocket}, JSON or Protobuf: connect and
 * subscribe commands in the first frame, replies and pings decoded with Weft's own codec, publishing with
 * the client {@code publish} command (the bench config lets any client publish). Publication pushes are
 * only located in the frame (JSON: a line starting {@code {"push"}; Protobuf: a Reply holding field 4) and
 * the send time read from the payload inside, so the generator spends little CPU per delivery.
 */
public final class WeftDialect implements Dialect {

    private static final byte[] PUSH_PREFIX = "{\"push\"".getBytes(StandardCharsets.US_ASCII);

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
            int at = content.readerIndex();
            int end = content.writerIndex();
            while (at < end) {
                int from;
                int to;
                boolean push;
                if (format == ProtocolType.PROTOBUF) {
                    // Each Reply is prefixed with its varint length; a push is field 4 (tag 0x22) and has no id.
                    long length = 0;
                    int shift = 0;
                    byte b;
                    do {
                        b = content.getByte(at++);
                        length |= (long) (b & 0x7f) << shift;
                        shift += 7;
                    } while (b < 0);
                    from = at;
                    to = (int) (at + length);
                    push = length > 0 && content.getByte(from) == 0x22;
                    if (!push) {
                        from = from - varintSize(length);
                    }
                } else {
                    // Newline-separated objects; a push (no id) starts with {"push".
                    int newline = content.indexOf(at, end, (byte) '\n');
                    from = at;
                    to = newline < 0 ? end : newline;
                    push = startsWith(content, from, to, PUSH_PREFIX);
                }
                if (push) {
                    // The publication's data is our payload, verbatim in both formats: no need to decode it all.
                    long sent = Payload.sentNanos(content, from, to);
                    if (sent >= 0 && deliveries != null) {
                        deliveries.delivered(sent, now);
                    }
                } else if (to > from) {
                    byte[] one = new byte[to - from];
                    content.getBytes(from, one);
                    handle(one);
                }
                at = format == ProtocolType.PROTOBUF ? to : to + 1;
            }
        }

        /** Replies to our commands, and the server's ping: decoded with Weft's own codec. */
        private void handle(byte[] frame) {
            List<Reply> replies;
            try {
                replies = codec.decodeReplies(frame);
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

    private static int varintSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static boolean startsWith(ByteBuf buf, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(from + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
