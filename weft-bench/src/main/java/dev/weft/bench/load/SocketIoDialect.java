package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Socket.IO v4 over Engine.IO v4, WebSocket transport only ({@code /socket.io/?EIO=4&transport=websocket}):
 * Engine.IO open {@code 0{…}}, Socket.IO connect {@code 40}, a {@code join} event with an ack to enter the
 * rooms, {@code 42["msg",payload]} deliveries, ping {@code 2} / pong {@code 3}. The target's server script
 * rebroadcasts {@code 42["publish",room,payload]} to the room.
 */
public final class SocketIoDialect implements Dialect {

    @Override
    public URI subscriberUri(URI base, List<String> channels) {
        return publisherUri(base);
    }

    @Override
    public URI publisherUri(URI base) {
        return base.resolve("/socket.io/?EIO=4&transport=websocket");
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
        private final List<String> rooms;
        private final Deliveries deliveries;

        Session(List<String> rooms, Deliveries deliveries) {
            this.rooms = rooms;
            this.deliveries = deliveries;
        }

        @Override
        protected void opened() {
            // Engine.IO speaks first (the open packet).
        }

        @Override
        protected void received(ByteBuf content, boolean text) {
            long now = Payload.now();
            int from = content.readerIndex();
            int to = content.writerIndex();
            if (to == from) {
                return;
            }
            byte engineType = content.getByte(from);
            switch (engineType) {
                case '0' -> sendText("40");
                case '2' -> sendText("3");
                case '4' -> message(content, from + 1, to, now);
                case '1' -> fail("Engine.IO close");
                default -> { }
            }
        }

        private void message(ByteBuf content, int from, int to, long now) {
            byte socketType = from < to ? content.getByte(from) : 0;
            switch (socketType) {
                case '2' -> {
                    if (deliveries != null) {
                        deliveries.delivered(Payload.sentNanos(content, from, to), now);
                    }
                }
                case '0' -> {
                    if (rooms.isEmpty()) {
                        markReady();
                    } else {
                        sendText("420[\"join\",[" + rooms.stream().map(r -> "\"" + r + "\"")
                                .collect(Collectors.joining(",")) + "]]");
                    }
                }
                case '3' -> markReady(); // the ack of join
                case '4' -> fail("connect_error: " + content.toString(from, to - from, StandardCharsets.UTF_8));
                case '1' -> fail("disconnected by the server");
                default -> { }
            }
        }

        @Override
        public void publish(String target, byte[] payload) {
            writeText("42[\"publish\",\"" + target + "\"," + new String(payload, StandardCharsets.US_ASCII) + "]");
        }
    }
}
