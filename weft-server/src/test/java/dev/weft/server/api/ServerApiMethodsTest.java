package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.TestWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static dev.weft.server.api.ApiTestServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every server API method over real HTTP against a running Weft, with real WebSocket clients watching. */
class ServerApiMethodsTest {
    private ApiTestServer api;

    @BeforeEach
    void start() {
        api = ApiTestServer.withKey();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void publishReachesSubscribersAndHistoryWithTagsAndPosition() throws Exception {
        try (var client = api.connect("alice")) {
            client.subscribe(2, "news");
            JsonNode result = api.result("publish",
                    "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"},\"tags\":{\"kind\":\"greeting\"}}");
            assertThat(result.path("offset").asLong()).isEqualTo(1);
            assertThat(result.path("epoch").asText()).isNotEmpty();
            JsonNode pub = client.push("news", "pub");
            assertThat(pub.path("data")).isEqualTo(JSON.readTree("{\"text\":\"hi\"}"));
            assertThat(pub.path("tags").path("kind").asText()).isEqualTo("greeting");
        }
    }

    @Test
    void dataArrivesByteForByteThroughPublishBatchAndHistory() throws Exception {
        String data = "{\"a\": 0.12345678901234567890123, \"b\":1.10,\"c\":1e2}";
        try (var client = api.connect("alice")) {
            client.subscribe(2, "exact");
            api.result("publish", "{\"channel\":\"exact\",\"data\":" + data + "}");
            api.call("batch", "{\"commands\":[{\"publish\":{\"channel\":\"exact\",\"data\":[1.10]}}]}");
            String frames = client.ws().next() + client.ws().next();
            assertThat(frames).contains("\"data\":" + data).contains("\"data\":[1.10]");
        }
        String history = api.post("/api/history", "{\"channel\":\"exact\",\"limit\":2}", "X-API-Key",
                ApiTestServer.KEY).body();
        assertThat(history).contains("\"data\":" + data + ",").contains("\"data\":[1.10],");
    }

    @Test
    void publishWithoutHistoryOmitsZeroFields() throws Exception {
        assertThat(api.result("publish", "{\"channel\":\"plain:x\",\"data\":1}").toString()).isEqualTo("{}");
    }

    @Test
    void binaryDataFromB64dataArrivesDecoded() throws Exception {
        api.result("publish", "{\"channel\":\"bin\",\"b64data\":\"" + Base64.getEncoder().encodeToString(
                new byte[] {(byte) 0xff, 0, 1}) + "\"}");
        JsonNode pub = api.result("history", "{\"channel\":\"bin\",\"limit\":1}").path("publications").get(0);
        assertThat(pub.has("data")).isFalse();
        assertThat(Base64.getDecoder().decode(pub.path("b64data").asText())).containsExactly(0xff, 0, 1);
    }

    @Test
    void skipHistoryPublishesWithoutKeepingIt() throws Exception {
        try (var client = api.connect("alice")) {
            client.subscribe(2, "news");
            JsonNode result = api.result("publish", "{\"channel\":\"news\",\"data\":1,\"skip_history\":true}");
            assertThat(result.has("offset")).isFalse();
            assertThat(client.push("news", "pub").path("data").asInt()).isEqualTo(1);
        }
        assertThat(api.result("history", "{\"channel\":\"news\",\"limit\":-1}").path("publications")).isEmpty();
    }

    @Test
    void repeatedIdempotencyKeyPublishesOnce() throws Exception {
        String body = "{\"channel\":\"news\",\"data\":1,\"idempotency_key\":\"k1\"}";
        JsonNode first = api.result("publish", body);
        JsonNode second = api.result("publish", body);
        assertThat(second).isEqualTo(first);
        assertThat(api.result("history", "{\"channel\":\"news\",\"limit\":-1}").path("publications")).hasSize(1);
    }

    @Test
    void publishRefusesWhatItCannotDo() throws Exception {
        assertThat(api.error("publish", "{\"data\":{}}").path("code").asInt()).isEqualTo(107);
        assertThat(api.error("publish", "{\"channel\":\"c\"}").path("code").asInt()).isEqualTo(107);
        assertThat(api.error("publish", "{\"channel\":\"c\",\"b64data\":\"!!\"}").path("code").asInt()).isEqualTo(107);
        assertThat(api.error("publish", "{\"channel\":\"nope:c\",\"data\":1}"))
                .isEqualTo(JSON.readTree("{\"code\":102,\"message\":\"unknown channel\"}"));
        JsonNode version = api.error("publish", "{\"channel\":\"c\",\"data\":1,\"version\":3}");
        assertThat(version.path("code").asInt()).isEqualTo(107);
        assertThat(version.path("message").asText()).isEqualTo("bad request: version is not supported by Weft");
    }

    @Test
    void broadcastAnswersPerChannelInOrder() throws Exception {
        try (var client = api.connect("alice")) {
            client.subscribe(2, "b");
            JsonNode responses = api.result("broadcast",
                    "{\"channels\":[\"a\",\"nope:x\",\"b\",\"\"],\"data\":{\"n\":1}}").path("responses");
            assertThat(responses).hasSize(4);
            assertThat(responses.get(0).path("result").path("offset").asLong()).isEqualTo(1);
            assertThat(responses.get(1).path("error").path("code").asInt()).isEqualTo(102);
            assertThat(responses.get(2).path("result").path("offset").asLong()).isEqualTo(1);
            assertThat(responses.get(3).path("error").path("code").asInt()).isEqualTo(107);
            assertThat(client.push("b", "pub").path("data").path("n").asInt()).isEqualTo(1);
        }
        assertThat(api.error("broadcast", "{\"channels\":[],\"data\":1}").path("code").asInt()).isEqualTo(107);
    }

    @Test
    void subscribePushesToEveryConnectionOfTheUserWithDataAndChannelInfo() throws Exception {
        try (var phone = api.connect("bob"); var laptop = api.connect("bob"); var other = api.connect("carol")) {
            api.result("subscribe",
                    "{\"channel\":\"room\",\"user\":\"bob\",\"data\":{\"welcome\":true},\"info\":{\"role\":\"guest\"}}");
            for (var c : new ApiTestServer.Client[] {phone, laptop}) {
                JsonNode push = c.push("room", "subscribe");
                assertThat(push.path("data").path("welcome").asBoolean()).isTrue();
                assertThat(push.path("recoverable").asBoolean()).isFalse();
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(api.result("presence", "{\"channel\":\"room\"}").path("presence")).hasSize(2));
            JsonNode presence = api.result("presence", "{\"channel\":\"room\"}").path("presence");
            JsonNode entry = presence.path(phone.clientId());
            assertThat(entry.path("user").asText()).isEqualTo("bob");
            assertThat(entry.path("client").asText()).isEqualTo(phone.clientId());
            assertThat(entry.path("chan_info").path("role").asText()).isEqualTo("guest");
            assertThat(presence.has(other.clientId())).isFalse();
        }
    }

    @Test
    void subscribeAndUnsubscribeCanTargetOneClient() throws Exception {
        try (var phone = api.connect("bob"); var laptop = api.connect("bob")) {
            api.result("subscribe", "{\"channel\":\"room\",\"user\":\"bob\",\"client\":\"" + laptop.clientId() + "\"}");
            laptop.push("room", "subscribe");
            api.result("subscribe", "{\"channel\":\"room\",\"user\":\"bob\",\"client\":\"" + phone.clientId() + "\"}");
            phone.push("room", "subscribe");
            api.result("unsubscribe", "{\"channel\":\"room\",\"user\":\"bob\",\"client\":\"" + laptop.clientId() + "\"}");
            JsonNode unsubscribed = laptop.push("room", "unsubscribe");
            assertThat(unsubscribed.path("code").asInt()).isEqualTo(2000);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    api.result("presence_stats", "{\"channel\":\"room\"}").path("num_clients").asInt()).isEqualTo(1));
        }
    }

    @Test
    void subscribeOverridesChannelOptionsForThatSubscription() throws Exception {
        try (var client = api.connect("bob")) {
            api.result("subscribe", "{\"channel\":\"plain:room\",\"user\":\"bob\","
                    + "\"override\":{\"presence\":{\"value\":true}}}");
            client.push("plain:room", "subscribe");
            // presence of plain: is off in the config, so the API itself says 108, but the entry exists.
            assertThat(api.error("presence", "{\"channel\":\"plain:room\"}").path("code").asInt()).isEqualTo(108);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    api.server.node().internalsForTests().presenceManager().presence("plain:room").containsKey(client.clientId()));
        }
    }

    @Test
    void subscribeRefusesFieldsWeftCannotHonour() throws Exception {
        for (String field : new String[] {"\"session\":\"s\"", "\"expire_at\":4102444800",
                "\"recover_since\":{\"offset\":1,\"epoch\":\"e\"}"}) {
            JsonNode error = api.error("subscribe", "{\"channel\":\"room\",\"user\":\"bob\"," + field + "}");
            assertThat(error.path("code").asInt()).as(field).isEqualTo(107);
            assertThat(error.path("message").asText()).as(field).endsWith("is not supported by Weft");
        }
        assertThat(api.error("subscribe", "{\"user\":\"bob\"}").path("code").asInt()).isEqualTo(107);
        assertThat(api.error("subscribe", "{\"channel\":\"nope:x\",\"user\":\"bob\"}").path("code").asInt())
                .isEqualTo(102);
        assertThat(api.error("unsubscribe", "{\"channel\":\"room\",\"user\":\"bob\",\"session\":\"s\"}")
                .path("code").asInt()).isEqualTo(107);
    }

    @Test
    void disconnectDefaultsToForceNoReconnectAndHonoursCodeClientAndWhitelist() throws Exception {
        try (var a = api.connect("dave"); var b = api.connect("dave"); var c = api.connect("dave")) {
            api.result("disconnect", "{\"user\":\"dave\",\"client\":\"" + a.clientId() + "\"}");
            TestWebSocket.Close closeA = a.ws().awaitClose();
            assertThat(closeA.code()).isEqualTo(3503);
            assertThat(closeA.reason()).isEqualTo("force disconnect");

            api.result("disconnect", "{\"user\":\"dave\",\"whitelist\":[\"" + c.clientId() + "\"],"
                    + "\"disconnect\":{\"code\":4501,\"reason\":\"banned\"}}");
            TestWebSocket.Close closeB = b.ws().awaitClose();
            assertThat(closeB.code()).isEqualTo(4501);
            assertThat(closeB.reason()).isEqualTo("banned");
            c.subscribe(5, "still-here");
        }
        assertThat(api.error("disconnect", "{\"user\":\"dave\",\"disconnect\":{\"code\":1000,\"reason\":\"x\"}}")
                .path("code").asInt()).isEqualTo(107);
        assertThat(api.error("disconnect", "{\"user\":\"dave\",\"disconnect\":{\"code\":3000,\"reason\":\""
                + "x".repeat(124) + "\"}}").path("code").asInt()).isEqualTo(107);
    }

    @Test
    void refreshSetsExpiryOrExpires() throws Exception {
        try (var a = api.connect("erin"); var b = api.connect("erin")) {
            long expireAt = System.currentTimeMillis() / 1000 + 3600;
            api.result("refresh", "{\"user\":\"erin\",\"client\":\"" + a.clientId() + "\",\"expire_at\":" + expireAt
                    + ",\"info\":{\"plan\":\"pro\"}}");
            JsonNode refresh = a.push("", "refresh");
            assertThat(refresh.path("expires").asBoolean()).isTrue();
            assertThat(refresh.path("ttl").asLong()).isBetween(3590L, 3600L);

            api.result("refresh", "{\"user\":\"erin\",\"client\":\"" + b.clientId() + "\",\"expired\":true}");
            assertThat(b.ws().awaitClose().code()).isEqualTo(3005);

            api.result("refresh", "{\"user\":\"erin\",\"expire_at\":1000}");
            assertThat(a.ws().awaitClose().code()).isEqualTo(3005);
        }
    }

    @Test
    void refreshedInfoShowsInLaterPresence() throws Exception {
        try (var a = api.connect("erin")) {
            api.result("refresh", "{\"user\":\"erin\",\"info\":{\"plan\":\"pro\"}}");
            a.push("", "refresh");
            a.subscribe(3, "room");
            JsonNode entry = api.result("presence", "{\"channel\":\"room\"}").path("presence").path(a.clientId());
            assertThat(entry.path("conn_info").path("plan").asText()).isEqualTo("pro");
        }
    }

    @Test
    void presenceAndStatsCountConnectionsAndUsers() throws Exception {
        try (var a = api.connect("u1"); var b = api.connect("u1"); var c = api.connect("u2")) {
            a.subscribe(2, "room");
            b.subscribe(2, "room");
            c.subscribe(2, "room");
            assertThat(api.result("presence_stats", "{\"channel\":\"room\"}"))
                    .isEqualTo(JSON.readTree("{\"num_clients\":3,\"num_users\":2}"));
            assertThat(api.result("presence", "{\"channel\":\"room\"}").path("presence")).hasSize(3);
        }
        assertThat(api.result("presence_stats", "{\"channel\":\"empty\"}"))
                .isEqualTo(JSON.readTree("{\"num_clients\":0,\"num_users\":0}"));
        assertThat(api.result("presence", "{\"channel\":\"empty\"}").toString()).isEqualTo("{\"presence\":{}}");
        assertThat(api.error("presence", "{\"channel\":\"plain:x\"}").path("code").asInt()).isEqualTo(108);
        assertThat(api.error("presence_stats", "{\"channel\":\"\"}").path("code").asInt()).isEqualTo(107);
    }

    @Test
    void historyPagesByLimitSinceAndReverse() throws Exception {
        for (int i = 1; i <= 5; i++) {
            api.result("publish", "{\"channel\":\"h\",\"data\":{\"i\":" + i + "}}");
        }
        JsonNode position = api.result("history", "{\"channel\":\"h\"}");
        assertThat(position.path("publications")).isEmpty();
        assertThat(position.path("offset").asLong()).isEqualTo(5);
        String epoch = position.path("epoch").asText();

        JsonNode two = api.result("history", "{\"channel\":\"h\",\"limit\":2}").path("publications");
        assertThat(two).hasSize(2);
        assertThat(two.get(0).path("offset").asLong()).isEqualTo(1);
        assertThat(two.get(0).path("data").path("i").asInt()).isEqualTo(1);

        JsonNode since = api.result("history", "{\"channel\":\"h\",\"limit\":-1,\"since\":{\"offset\":3,\"epoch\":\""
                + epoch + "\"}}").path("publications");
        assertThat(since).extracting(p -> p.path("offset").asLong()).containsExactly(4L, 5L);

        JsonNode reversed = api.result("history", "{\"channel\":\"h\",\"limit\":2,\"reverse\":true}")
                .path("publications");
        assertThat(reversed).extracting(p -> p.path("offset").asLong()).containsExactly(5L, 4L);

        assertThat(api.error("history", "{\"channel\":\"h\",\"limit\":1,\"since\":{\"offset\":1,\"epoch\":\"old\"}}")
                .path("code").asInt()).isEqualTo(112);
        assertThat(api.error("history", "{\"channel\":\"plain:h\"}").path("code").asInt()).isEqualTo(108);
    }

    @Test
    void historyRemoveDropsPublications() throws Exception {
        api.result("publish", "{\"channel\":\"h\",\"data\":1}");
        assertThat(api.result("history_remove", "{\"channel\":\"h\"}").toString()).isEqualTo("{}");
        assertThat(api.result("history", "{\"channel\":\"h\",\"limit\":-1}").path("publications")).isEmpty();
        assertThat(api.error("history_remove", "{\"channel\":\"plain:h\"}").path("code").asInt()).isEqualTo(108);
    }

    @Test
    void channelsListsActiveChannelsMatchingTheGlob() throws Exception {
        try (var a = api.connect("u1"); var b = api.connect("u2")) {
            a.subscribe(2, "plain:eu");
            a.subscribe(3, "chat");
            b.subscribe(2, "chat");
            assertThat(api.result("channels", "{}").path("channels"))
                    .isEqualTo(JSON.readTree("{\"chat\":{\"num_clients\":2},\"plain:eu\":{\"num_clients\":1}}"));
            assertThat(api.result("channels", "{\"pattern\":\"plain:*\"}").path("channels").fieldNames())
                    .toIterable().containsExactly("plain:eu");
            assertThat(api.result("channels", "{\"pattern\":\"{chat,x}\"}").path("channels").fieldNames())
                    .toIterable().containsExactly("chat");
            assertThat(api.result("channels", "{\"pattern\":\"c?a[st]\"}").path("channels").fieldNames())
                    .toIterable().containsExactly("chat");
        }
        assertThat(api.error("channels", "{\"pattern\":\"[\"}").path("code").asInt()).isEqualTo(107);
    }

    @Test
    void infoDescribesThisNode() throws Exception {
        try (var a = api.connect("u1"); var b = api.connect("u1"); var c = api.connect("u2")) {
            a.subscribe(2, "x");
            b.subscribe(2, "x");
            c.subscribe(2, "y");
            JsonNode nodes = api.result("info", "{}").path("nodes");
            assertThat(nodes).hasSize(1);
            JsonNode node = nodes.get(0);
            assertThat(node.path("uid").asText()).isNotEmpty();
            assertThat(node.path("name").asText()).isEqualTo("weft");
            assertThat(node.has("version")).isTrue();
            assertThat(node.path("num_clients").asInt()).isEqualTo(3);
            assertThat(node.path("num_users").asInt()).isEqualTo(2);
            assertThat(node.path("num_channels").asInt()).isEqualTo(2);
            assertThat(node.path("num_subs").asInt()).isEqualTo(3);
        }
    }

    @Test
    void tokenRevocationsAreRecordedInTheNode() throws Exception {
        api.result("revoke_token", "{\"uid\":\"jti-1\",\"expire_at\":4102444800}");
        assertThat(api.server.node().tokenRevocations().isRevoked("jti-1")).isTrue();
        assertThat(api.server.node().tokenRevocations().isRevoked("jti-2")).isFalse();

        api.result("invalidate_user_tokens", "{\"user\":\"mallory\",\"issued_before\":2000000000}");
        assertThat(api.server.node().tokenRevocations().isInvalidated("mallory", 1999999999)).isTrue();
        assertThat(api.server.node().tokenRevocations().isInvalidated("mallory", 2000000001)).isFalse();

        assertThat(api.error("revoke_token", "{}").path("code").asInt()).isEqualTo(107);
        assertThat(api.error("invalidate_user_tokens", "{\"user\":\"u\",\"channel\":\"c\"}").path("code").asInt())
                .isEqualTo(107);
    }

    @Test
    void sequentialBatchRunsInOrderAndReportsEachOutcome() throws Exception {
        JsonNode answer = api.call("batch", "{\"commands\":["
                + "{\"publish\":{\"channel\":\"seq\",\"data\":1}},"
                + "{\"history\":{\"channel\":\"seq\",\"limit\":-1}},"
                + "{\"publish\":{\"channel\":\"nope:x\",\"data\":1}},"
                + "{\"no_such_method\":{}},"
                + "{}]}");
        assertThat(answer.fieldNames()).toIterable().containsExactly("replies");
        JsonNode replies = answer.path("replies");
        assertThat(replies).hasSize(5);
        assertThat(replies.get(0).path("publish").path("offset").asLong()).isEqualTo(1);
        // sequential: the history command sees the publish before it
        assertThat(replies.get(1).path("history").path("publications")).hasSize(1);
        assertThat(replies.get(2)).isEqualTo(JSON.readTree("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}"));
        assertThat(replies.get(3)).isEqualTo(JSON.readTree("{\"error\":{\"code\":104,\"message\":\"not found\"}}"));
        assertThat(replies.get(4)).isEqualTo(JSON.readTree("{\"error\":{\"code\":104,\"message\":\"not found\"}}"));
    }

    @Test
    void parallelBatchKeepsReplyOrder() throws Exception {
        StringBuilder commands = new StringBuilder();
        int n = 200;
        for (int i = 0; i < n; i++) {
            commands.append(i == 0 ? "" : ",").append("{\"publish\":{\"channel\":\"par").append(i % 2 == 0 ? "" : ":x")
                    .append("\",\"data\":").append(i).append("}}");
        }
        JsonNode replies = api.call("batch", "{\"parallel\":true,\"commands\":[" + commands + "]}").path("replies");
        assertThat(replies).hasSize(n);
        Set<Long> offsets = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                offsets.add(replies.get(i).path("publish").path("offset").asLong());
            } else {
                assertThat(replies.get(i).path("error").path("code").asInt()).as("reply %d", i).isEqualTo(102);
            }
        }
        assertThat(offsets).hasSize(n / 2).allMatch(o -> o >= 1 && o <= n / 2);
        assertThat(api.result("history", "{\"channel\":\"par\"}").path("offset").asLong()).isEqualTo(n / 2);
    }

    @Test
    void batchWithAMalformedCommandRunsNothing() throws Exception {
        var response = api.post("/api/batch", "{\"commands\":[{\"publish\":{\"channel\":\"m\",\"data\":1}},"
                + "{\"publish\":{\"channel\":5,\"data\":1}}]}", "X-API-Key", ApiTestServer.KEY);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(api.result("history", "{\"channel\":\"m\"}").path("offset").asLong()).isZero();
    }
}
