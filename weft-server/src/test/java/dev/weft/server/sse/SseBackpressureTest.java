package dev.weft.server.sse;

import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.WeftServer;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reader that stops reading must not grow the server's memory, and must learn what happened: the stream
 * is cut at {@code client.queue_max_size} pending bytes with {@code event: disconnect} 3008, after every
 * event before it — nothing in between is dropped.
 */
class SseBackpressureTest {
    private static final long QUEUE_MAX = 64 * 1024;
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void aReaderThatDoesNotReadIsDisconnectedAsSlowAfterEverythingBeforeIt() throws Exception {
        ChannelOptions history = ChannelOptions.builder().historySize(10_000).historyTtl(Duration.ofSeconds(300))
                .allowSubscribeForClient(true).allowSubscribeForAnonymous(true).build();
        ClientOptions client = ClientOptions.builder().allowAnonymousConnectWithoutToken(true)
                .queueMaxSize(QUEUE_MAX).build();
        server = WeftServer.start(WeftConfig.DEFAULT.withEngine(EngineConfig.MEMORY)
                .withNode(NodeConfig.DEFAULT.withClient(client)
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(history, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0)));
        String channel = "firehose";
        byte[] payload = ("{\"pad\":\"" + "x".repeat(32 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write(("GET /sse/" + channel + " HTTP/1.1\r\nHost: test\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().subscriberCount(channel) == 1);

            // The cut happens on the server's own threads; pausing between publications gives them the chance
            // to run on a loaded machine, so the bound below measures the queue limit, not the scheduler.
            int published = 0;
            while (server.node().internalsForTests().hub().subscriberCount(channel) == 1 && published < 2_000) {
                server.node().publish(channel, payload, "", Map.of());
                published++;
                Thread.sleep(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().subscriberCount(channel) == 0);
            assertThat(published).as("disconnected long before 64 MB were published").isLessThan(2_000);

            String stream = readWhatArrives(socket);
            List<Long> offsets = new ArrayList<>();
            Matcher ids = Pattern.compile("id: " + channel + "/[^/]+/(\\d+)\n").matcher(stream);
            while (ids.find()) {
                offsets.add(Long.parseLong(ids.group(1)));
            }
            assertThat(offsets.getFirst()).as("the connect push's starting position").isZero();
            assertThat(offsets.subList(1, offsets.size())).as("every event up to the cut, none skipped")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, offsets.size() - 1).boxed().toList());
            assertThat(offsets.size() - 1).isLessThan(published);
            assertThat(stream).contains("event: disconnect\ndata: {\"code\":3008,\"reason\":\"slow\",\"reconnect\":true}");
            assertThat(stream.lastIndexOf("event: disconnect")).as("the disconnect comes last")
                    .isGreaterThan(stream.lastIndexOf("event: publication"));
        }
    }

    /** Reads until the server closes (it does within its close wait) or nothing comes for 2 s. */
    private static String readWhatArrives(Socket socket) throws Exception {
        socket.setSoTimeout(2000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        InputStream in = socket.getInputStream();
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // nothing more is coming
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
