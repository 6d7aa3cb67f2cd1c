package dev.weft.bench.load;

import io.netty.buffer.ByteBuf;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ceiling server's non-protocol: subscribers name their channels in the URL ({@code /?c=a,b}) and are
 * ready once the WebSocket is open; every message they receive is a bare payload; the publisher sends
 * {@code "<channel> <payload>"}.
 */
public final class CeilingDialect implements Dialect {

    @Override
    public URI subscriberUri(URI base, List<String> channels) {
        return base.resolve("/?c=" + String.join(",", channels));
    }

    @Override
    public URI publisherUri(URI base) {
        return base.resolve("/");
    }

    @Override
    public ClientSession subscriber(List<String> channels, Deliveries deliveries) {
        return new Session(deliveries);
    }

    @Override
    public ClientSession publisher() {
        return new Session(null);
    }

    private static final class Session extends ClientSession {
        private final Deliveries deliveries;

        Session(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        protected void opened() {
            markReady();
        }

        @Override
        protected void received(ByteBuf content, boolean text) {
            if (deliveries != null) {
                deliveries.delivered(Payload.sentNanos(content, content.readerIndex(), content.writerIndex()),
                        Payload.now());
            }
        }

        @Override
        public void publish(String target, byte[] payload) {
            byte[] head = (target + " ").getBytes(StandardCharsets.US_ASCII);
            byte[] frame = new byte[head.length + payload.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(payload, 0, frame, head.length, payload.length);
            writeText(frame);
        }
    }
}
