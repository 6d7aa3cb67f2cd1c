package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NATS's text protocol carried in WebSocket frames (nats-server's {@code websocket} listener): on
 * {@code INFO} send {@code CONNECT}, one {@code SUB} per subject and a {@code PING}; the {@code PONG} means
 * every {@code SUB} was processed. {@code MSG} deliveries, {@code PING}/{@code PONG} keep-alive, {@code PUB}
 * to publish. A protocol operation may span WebSocket frames, so bytes are accumulated per connection.
 */
public final class NatsDialect implements Dialect {

    @Override
    public URI subscriberUri(URI base, List<String> channels) {
        return base.resolve("/");
    }

    @Override
    public URI publisherUri(URI base) {
        return base.resolve("/");
    }

    @Override
    public ClientSession subscriber(List<String> channels, Deliveries deliveries) {
        return new Session(channels, deliveries);
    }

    @Override
    public ClientSession publisher() {
        return new Session(List.of(), null);
    }

    private static final class Session extends ClientSession {
        private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,"
                + "\"lang\":\"java\",\"version\":\"weft-bench\",\"headers\":false,\"no_responders\":false}\r\n";

        private final List<String> subjects;
        private final Deliveries deliveries;
        private final ByteBuf pending = Unpooled.buffer(256);
        private boolean connected;

        Session(List<String> subjects, Deliveries deliveries) {
            this.subjects = subjects;
            this.deliveries = deliveries;
        }

        @Override
        protected void opened() {
            // The server speaks first (INFO).
        }

        @Override
        protected void received(ByteBuf content, boolean text) {
            long now = Payload.now();
            pending.writeBytes(content);
            while (parseOne(now)) {
                // keep going
            }
            pending.discardReadBytes();
        }

        /** Consumes one complete operation from {@code pending}; false when more bytes are needed. */
        private boolean parseOne(long now) {
            int start = pending.readerIndex();
            int eol = pending.indexOf(start, pending.writerIndex(), (byte) '\n');
            if (eol < 0) {
                return false;
            }
            String line = pending.toString(start, eol - start, StandardCharsets.US_ASCII).trim();
            if (line.startsWith("MSG ")) {
                // MSG <subject> <sid> [reply-to] <#bytes>
                int size = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                int payloadStart = eol + 1;
                if (pending.writerIndex() < payloadStart + size + 2) {
                    return false;
                }
                if (deliveries != null) {
                    deliveries.delivered(Payload.sentNanos(pending, payloadStart, payloadStart + size), now);
                }
                pending.readerIndex(payloadStart + size + 2);
                return true;
            }
            pending.readerIndex(eol + 1);
            if (line.startsWith("PING")) {
                sendText("PONG\r\n");
            } else if (line.startsWith("PONG")) {
                markReady();
            } else if (line.startsWith("INFO") && !connected) {
                connected = true;
                StringBuilder out = new StringBuilder(CONNECT);
                for (int i = 0; i < subjects.size(); i++) {
                    out.append("SUB ").append(subjects.get(i)).append(' ').append(i + 1).append("\r\n");
                }
                sendText(out.append("PING\r\n").toString());
            } else if (line.startsWith("-ERR")) {
                fail(line);
            }
            return true;
        }

        @Override
        public void publish(String target, byte[] payload) {
            byte[] head = ("PUB " + target + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[head.length + payload.length + 2];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(payload, 0, frame, head.length, payload.length);
            frame[frame.length - 2] = '\r';
            frame[frame.length - 1] = '\n';
            writeText(frame);
        }
    }
}
