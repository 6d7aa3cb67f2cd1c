package dev.weft.server.api;

import dev.weft.server.config.HttpApiConfig;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.weft.server.api.ApiTestServer.JSON;
import static dev.weft.server.api.ApiTestServer.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** The server API's HTTP behaviour: keys, status codes, malformed bodies, limits, error modes. */
class ServerApiHttpTest {
    private static final String PUBLISH = "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"}}";

    @Test
    void keyIsCheckedInEveryAcceptedPlace() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            assertThat(api.post("/api/publish", PUBLISH).statusCode()).isEqualTo(401);
            for (String[] wrong : new String[][] {{"X-API-Key", "wrong"}, {"X-API-Key", KEY + "x"},
                    {"Authorization", "apikey wrong"}, {"Authorization", "bearer " + KEY}, {"X-API-Key", ""}}) {
                assertThat(api.post("/api/publish", PUBLISH, wrong).statusCode()).as(wrong[0] + ": " + wrong[1])
                        .isEqualTo(401);
            }
            assertThat(api.post("/api/publish?api_key=wrong", PUBLISH).statusCode()).isEqualTo(401);
            assertThat(api.server.node().internalsForTests().broker().position("news").offset()).isZero();

            assertThat(api.post("/api/publish", PUBLISH, "X-API-Key", KEY).statusCode()).isEqualTo(200);
            assertThat(api.post("/api/publish", PUBLISH, "Authorization", "apikey " + KEY).statusCode()).isEqualTo(200);
            assertThat(api.post("/api/publish", PUBLISH, "Authorization", "ApiKey " + KEY).statusCode()).isEqualTo(200);
            assertThat(api.post("/api/publish?api_key=" + KEY, PUBLISH).statusCode()).isEqualTo(200);
            assertThat(api.server.node().internalsForTests().broker().position("news").offset()).isEqualTo(4);
        }
    }

    @Test
    void insecureApiNeedsNoKey() throws Exception {
        try (ApiTestServer api = ApiTestServer.with(new HttpApiConfig("", true))) {
            assertThat(api.post("/api/info", "{}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void apiIsNotFoundUnlessAKeyIsSetOrInsecure() throws Exception {
        try (ApiTestServer api = ApiTestServer.with(HttpApiConfig.DEFAULT)) {
            for (String method : new String[] {"publish", "info", "batch", "revoke_token"}) {
                assertThat(api.post("/api/" + method, "{}", "X-API-Key", "").statusCode()).as(method).isEqualTo(404);
            }
            assertThat(api.get("/api/openapi.json").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void malformedBodiesAre400() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            String[] bodies = {"{\"channel\":", "[1,2]", "", "\"text\"", "{} {}", "{\"channel\":5,\"data\":1}",
                    "{\"channel\":\"c\",\"data\":1,\"tags\":{\"a\":1}}", "{\"channel\":\"c\",\"data\":1,\"skip_history\":\"yes\"}",
                    "{\"channels\":\"c\",\"data\":1}"};
            for (String body : bodies) {
                String method = body.contains("channels") ? "broadcast" : "publish";
                HttpResponse<String> response = api.post("/api/" + method, body, "X-API-Key", KEY);
                assertThat(response.statusCode()).as("body %s", body).isEqualTo(400);
            }
            assertThat(api.post("/api/history", "{\"channel\":\"c\",\"limit\":\"5\"}", "X-API-Key", KEY).statusCode())
                    .isEqualTo(400);
            assertThat(api.post("/api/disconnect", "{\"user\":\"u\",\"disconnect\":{\"code\":3000.5,\"reason\":\"\"}}",
                    "X-API-Key", KEY).statusCode()).isEqualTo(400);
            assertThat(api.server.node().internalsForTests().broker().position("c").offset()).isZero();
        }
    }

    @Test
    void unknownFieldsAreIgnoredAsCentrifugoDoes() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            assertThat(api.result("publish", "{\"channel\":\"c\",\"data\":1,\"future_field\":{\"x\":1}}")
                    .path("offset").asLong()).isEqualTo(1);
        }
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            String body = "{\"channel\":\"c\",\"data\":\"" + "x".repeat(1024 * 1024) + "\"}";
            assertThat(api.post("/api/publish", body, "X-API-Key", KEY).statusCode()).isEqualTo(413);
            assertThat(api.server.node().internalsForTests().broker().position("c").offset()).isZero();
        }
    }

    @Test
    void unknownMethodIs404AndWrongHttpMethodIs405() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            assertThat(api.post("/api/no_such_method", "{}", "X-API-Key", KEY).statusCode()).isEqualTo(404);
            assertThat(api.post("/api", "{\"method\":\"publish\",\"params\":{}}", "X-API-Key", KEY).statusCode())
                    .as("Centrifugo v6 dropped the old single-endpoint format").isEqualTo(404);
            HttpResponse<String> get = api.get("/api/publish");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Test
    void errorsComeInTheBodyWithStatus200ByDefault() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            HttpResponse<String> response = api.post("/api/publish", "{\"channel\":\"nope:x\",\"data\":1}",
                    "X-API-Key", KEY);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}"));
        }
    }

    @Test
    void transportErrorModeMapsErrorsToHttpStatuses() throws Exception {
        try (ApiTestServer api = ApiTestServer.withKey()) {
            HttpResponse<String> unknown = api.post("/api/publish", "{\"channel\":\"nope:x\",\"data\":1}",
                    "X-API-Key", KEY, "X-Centrifugo-Error-Mode", "transport");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()))
                    .isEqualTo(JSON.readTree("{\"code\":102,\"message\":\"unknown channel\"}"));
            HttpResponse<String> bad = api.post("/api/publish", "{\"channel\":\"c\"}",
                    "X-API-Key", KEY, "X-Centrifugo-Error-Mode", "transport");
            assertThat(bad.statusCode()).isEqualTo(400);
            HttpResponse<String> ok = api.post("/api/publish", "{\"channel\":\"c\",\"data\":1}",
                    "X-API-Key", KEY, "X-Centrifugo-Error-Mode", "transport");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ok.body()).has("result")).isTrue();
        }
        try (ApiTestServer api = ApiTestServer.with(new HttpApiConfig(KEY, false, "transport"))) {
            HttpResponse<String> unrecoverable = api.post("/api/history",
                    "{\"channel\":\"c\",\"since\":{\"offset\":1,\"epoch\":\"old\"}}", "X-API-Key", KEY);
            assertThat(unrecoverable.statusCode()).isEqualTo(416);
            HttpResponse<String> notAvailable = api.post("/api/history", "{\"channel\":\"plain:c\"}", "X-API-Key", KEY);
            assertThat(notAvailable.statusCode()).isEqualTo(400);
        }
    }
}
