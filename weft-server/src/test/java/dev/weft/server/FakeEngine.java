package dev.weft.server;

import dev.weft.core.emulation.EmulationRouter;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.server.websocket.SessionFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the engine so the network edge can be tested alone: sessions echo every frame back, shutdown
 * closes every transport with 3001 as the engine does. (The server API needs a real engine: see the api tests.)
 */
final class FakeEngine implements SessionFactory {
    final List<Transport> transports = new CopyOnWriteArrayList<>();

    WeftServer.Backend backend(long queueMaxSize) {
        return new WeftServer.Backend(this,
                (request, format) -> CompletableFuture.completedFuture(EmulationRouter.Outcome.UNKNOWN_NODE),
                queueMaxSize, this::shutdown);
    }

    @Override
    public Session open(Transport transport) {
        transports.add(transport);
        return new Session() {
            @Override
            public void handleFrame(byte[] frame) {
                if (!transport.write(frame)) {
                    transport.close(DisconnectCode.SLOW.disconnect());
                }
            }

            @Override
            public void handleTransportClosed() {
                transports.remove(transport);
            }
        };
    }

    private void shutdown(Duration grace) {
        transports.forEach(t -> t.close(DisconnectCode.SHUTDOWN.disconnect()));
    }
}
