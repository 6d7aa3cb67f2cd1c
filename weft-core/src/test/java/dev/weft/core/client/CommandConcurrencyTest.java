package dev.weft.core.client;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.RpcResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code client.concurrency}: commands that change no session state run beside the command order, bounded,
 * each reply under its command's id; without it a connection's commands are answered one after another.
 */
class CommandConcurrencyTest {
    private Node node;
    /** The RPC handler blocks on the latch named by the method until the test releases it. */
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<String, Boolean> entered = new ConcurrentHashMap<>();

    private TestClient start(int concurrency) {
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(ChannelOptions.builder()
                .allowPublishForClient(true).allowPublishForAnonymous(true).build(), List.of());
        node = new Node(NodeConfig.DEFAULT.withClient(ClientOptions.builder()
                .allowAnonymousConnectWithoutToken(true).concurrency(concurrency).build()).withChannels(channels),
                new MemoryBroker(), new MemoryPresenceManager());
        node.setRpcHandler((client, method, data) -> {
            entered.put(method, true);
            try {
                gates.computeIfAbsent(method, m -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ("\"" + method + "\"").getBytes(StandardCharsets.UTF_8);
        });
        TestClient c = new TestClient(node);
        assertThat(c.call(new ConnectRequest("", null, Map.of(), "test", "", Map.of())).error()).isNull();
        return c;
    }

    @AfterEach
    void stop() {
        gates.values().forEach(CountDownLatch::countDown);
        node.shutdown(Duration.ofMillis(200));
    }

    @Test
    void slowRpcDoesNotHoldBackTheReplyToAPublishSentAfterIt() {
        TestClient c = start(2);
        int rpc = c.send(new RpcRequest(null, "slow"));
        int publish = c.send(new PublishRequest("news", bytes("{}")));

        assertThat(c.awaitReply(publish).error()).isNull();
        assertThat(replyIds(c)).doesNotContain(rpc);

        release("slow");
        Reply rpcReply = c.awaitReply(rpc);
        assertThat(new String(((RpcResult) rpcReply.result()).data(), StandardCharsets.UTF_8)).isEqualTo("\"slow\"");
    }

    @Test
    void withoutConcurrencyCommandsAreAnsweredInTheOrderTheyCame() {
        TestClient c = start(0);
        int rpc = c.send(new RpcRequest(null, "slow"));
        int publish = c.send(new PublishRequest("news", bytes("{}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> entered.containsKey("slow"));

        release("slow");
        c.awaitReply(publish);
        assertThat(replyIds(c)).containsSubsequence(rpc, publish);
    }

    @Test
    void whenEverySlotIsTakenTheNextCommandWaitsInOrder() {
        TestClient c = start(2); // one command beside the order, one in it
        int besides = c.send(new RpcRequest(null, "a"));
        int inOrder = c.send(new RpcRequest(null, "b"));
        int publish = c.send(new PublishRequest("news", bytes("{}")));
        await().atMost(Duration.ofSeconds(5)).until(() -> entered.containsKey("a") && entered.containsKey("b"));

        release("a");
        c.awaitReply(besides);
        release("b");
        c.awaitReply(publish);
        // Bounded: the publish had no slot, so it waited behind "b" instead of answering at once.
        assertThat(replyIds(c)).containsSubsequence(besides, inOrder, publish);
    }

    private void release(String method) {
        gates.computeIfAbsent(method, m -> new CountDownLatch(1)).countDown();
    }

    private static List<Integer> replyIds(TestClient c) {
        return c.transport().replies().stream().map(Reply::id).filter(id -> id > 0).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
