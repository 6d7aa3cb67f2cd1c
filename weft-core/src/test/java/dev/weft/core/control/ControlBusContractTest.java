package dev.weft.core.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ControlBus} must do, run against each implementation by a subclass: buses made by
 * {@link #newBus()} share one broker. A message seen is (sender, bytes); "nothing else arrived" is checked
 * behind a fence — a later broadcast from the same sender, which the bus delivers after what came before.
 */
public abstract class ControlBusContractTest {
    private final List<ControlBus> buses = new ArrayList<>();

    /** A new, not yet started bus on the shared broker (the same for every call within a test). */
    protected abstract ControlBus newBus();

    protected record Seen(String from, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    protected final class Member {
        final String id;
        final ControlBus bus;
        final BlockingQueue<Seen> inbox = new LinkedBlockingQueue<>();

        Member(String id) {
            this.id = id;
            this.bus = newBus();
            buses.add(bus);
            bus.start(id, (from, bytes) -> inbox.add(new Seen(from, bytes)));
        }

        Seen next() throws InterruptedException {
            Seen seen = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(seen).as("%s received a message", id).isNotNull();
            return seen;
        }
    }

    /**
     * Whether the bus keeps revocations for nodes that join later. A bus within one process does not (its
     * nodes share its lifetime); the tests then check it hands none out.
     */
    protected boolean storesRevocations() {
        return true;
    }

    /** A cluster member on a new bus, recording the revocations it is told of. */
    private final class RevocationsSeen implements Cluster.Handler {
        final List<ControlMessage> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public NodeInfo describe() {
            return new NodeInfo("", "test", "", 0, 0, 0, 0, 0);
        }

        @Override
        public int apply(ControlMessage control) {
            return 0;
        }

        @Override
        public void revoked(ControlMessage revocation) {
            revoked.add(revocation);
        }

        @Override
        public String emulate(ControlMessage emulation) {
            return "";
        }

        @Override
        public void nodeGone(String nodeId) {
        }
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(ControlBus::close);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBroadcastReachesEveryOtherNodeWithItsSender() throws Exception {
        Member a = new Member("node-a");
        Member b = new Member("node-b");
        Member c = new Member("node-c");
        a.bus.broadcast(text("hello"));
        for (Member m : List.of(b, c)) {
            Seen seen = m.next();
            assertThat(seen.from()).isEqualTo("node-a");
            assertThat(seen.text()).isEqualTo("hello");
        }
        b.bus.broadcast(text("fence"));
        assertThat(a.next().text()).as("a's own broadcast is not delivered back to it").isEqualTo("fence");
    }

    @Test
    void aTargetedMessageReachesOnlyItsTarget() throws Exception {
        Member a = new Member("node-a");
        Member b = new Member("node-b");
        Member c = new Member("node-c");
        a.bus.send("node-b", text("for b"));
        Seen seen = b.next();
        assertThat(seen.from()).isEqualTo("node-a");
        assertThat(seen.text()).isEqualTo("for b");
        a.bus.send("node-c", text("for c"));
        assertThat(c.next().text()).as("c saw nothing before its own message").isEqualTo("for c");
        a.bus.send("nobody", text("lost"));
        a.bus.broadcast(text("fence"));
        assertThat(b.next().text()).isEqualTo("fence");
        assertThat(c.next().text()).isEqualTo("fence");
    }

    @Test
    void bytesArriveUnchanged() throws Exception {
        Member a = new Member("node-a");
        Member b = new Member("node-b");
        byte[] every = new byte[256 * 4];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        byte[] large = new byte[200_000];
        new java.util.Random(7).nextBytes(large);
        for (byte[] message : List.of(new byte[0], every, large)) {
            a.bus.send("node-b", message);
            assertThat(b.next().bytes()).isEqualTo(message);
            a.bus.broadcast(message);
            assertThat(b.next().bytes()).isEqualTo(message);
        }
    }

    @Test
    void aClosedBusNoLongerReceives() throws Exception {
        Member a = new Member("node-a");
        Member b = new Member("node-b");
        Member c = new Member("node-c");
        b.bus.close();
        a.bus.send("node-b", text("after close"));
        a.bus.broadcast(text("fence"));
        assertThat(c.next().text()).isEqualTo("fence");
        assertThat(b.inbox.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aNodeThatJoinsLaterAppliesTheRevocationsSharedBeforeIt() throws Exception {
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        long inAnHour = System.currentTimeMillis() / 1000 + 3600;
        ControlBus firstBus = newBus();
        ControlBus lateBus = newBus();
        buses.add(firstBus);
        buses.add(lateBus);
        try (Cluster first = new Cluster("node-a", firstBus, new RevocationsSeen(), timer, Runnable::run)) {
            first.shareRevocation(ControlMessage.revokeToken("token-1", inAnHour));
            first.shareRevocation(ControlMessage.invalidateUser("alice", inAnHour - 60));

            RevocationsSeen late = new RevocationsSeen();
            try (Cluster ignored = new Cluster("node-b", lateBus, late, timer, Runnable::run)) {
                if (storesRevocations()) {
                    assertThat(late.revoked).extracting(ControlMessage::type, ControlMessage::jti,
                                    ControlMessage::user)
                            .containsExactlyInAnyOrder(
                                    org.assertj.core.groups.Tuple.tuple(ControlMessage.REVOKE_TOKEN, "token-1", ""),
                                    org.assertj.core.groups.Tuple.tuple(ControlMessage.INVALIDATE_USER, "", "alice"));
                } else {
                    assertThat(late.revoked).isEmpty();
                }
            }
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void storedRevocationsAreHandedOutUnchangedToABusStartedLater() {
        Member a = new Member("node-a");
        byte[] revocation = text("revoked");
        a.bus.storeRevocation(revocation, System.currentTimeMillis() / 1000 + 3600);
        Member late = new Member("node-late");
        if (storesRevocations()) {
            assertThat(late.bus.revocations()).singleElement().isEqualTo(revocation);
        } else {
            assertThat(late.bus.revocations()).isEmpty();
        }
    }
}
