package dev.weft.core.client;

import dev.weft.core.Node;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.PushBody;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/** Drives one session the way an SDK would: numbered commands, waiting for replies and pushes. */
public final class TestClient {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingTransport transport;
    private final ClientSession session;
    private final ProtocolType type;
    private final AtomicInteger ids = new AtomicInteger();

    public TestClient(Node node, ProtocolType type) {
        this.type = type;
        this.transport = new RecordingTransport(type);
        this.session = node.connect(transport);
    }

    public TestClient(Node node) {
        this(node, ProtocolType.JSON);
    }

    public RecordingTransport transport() {
        return transport;
    }

    public ClientSession session() {
        return session;
    }

    /** Sends a command and returns its reply. */
    public Reply call(Request request) {
        int id = send(request);
        return awaitReply(id);
    }

    public int send(Request request) {
        int id = ids.incrementAndGet();
        sendRaw(ProtocolCodecs.of(type).encodeCommands(List.of(new Command(id, request))));
        return id;
    }

    public void sendRaw(byte[] frame) {
        session.handleFrame(frame);
    }

    public Reply awaitReply(int id) {
        return await().atMost(WAIT).until(() -> transport.replies().stream()
                .filter(r -> r.id() == id).findFirst().orElse(null), r -> r != null);
    }

    public List<Push> pushes() {
        return transport.replies().stream().filter(r -> r.result() instanceof Push)
                .map(r -> (Push) r.result()).toList();
    }

    public <T extends PushBody> List<T> pushes(String channel, Class<T> type) {
        return pushes().stream().filter(p -> p.channel().equals(channel) && type.isInstance(p.body()))
                .map(p -> type.cast(p.body())).toList();
    }

    public List<Publication> awaitPublications(String channel, int count) {
        return await().atMost(WAIT).until(() -> pushes(channel, Publication.class), l -> l.size() >= count);
    }

    public Disconnect awaitDisconnect() {
        return await().atMost(WAIT).until(transport::closedWith, d -> d != null);
    }
}
