package dev.weft.server.websocket;

import dev.weft.core.transport.Transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake engine: records every transport it is given, the frames its session received and closes. */
final class RecordingSessions implements SessionFactory {
    final List<Transport> transports = new CopyOnWriteArrayList<>();
    final List<String> frames = new CopyOnWriteArrayList<>();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public Session open(Transport transport) {
        transports.add(transport);
        return new Session() {
            @Override
            public void handleFrame(byte[] frame) {
                frames.add(new String(frame, StandardCharsets.UTF_8));
            }

            @Override
            public void handleTransportClosed() {
                closed.incrementAndGet();
            }
        };
    }
}
