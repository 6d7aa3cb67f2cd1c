package dev.weft.server.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Attack stopped: a token a user put in a URL leaking into log files. */
class RedactedUriTest {

    @Test
    void masksTokenParametersAndKeepsTheRest() {
        assertThat(RedactedUri.of("/connection/uni_sse?token=abc.def&format=json"))
                .isEqualTo("/connection/uni_sse?token=REDACTED&format=json");
        assertThat(RedactedUri.of("/sse/news?format=json&access_token=x&cf_connect=%7B%22token%22%3A%22t%22%7D"))
                .isEqualTo("/sse/news?format=json&access_token=REDACTED&cf_connect=REDACTED");
        assertThat(RedactedUri.of("/x?subToken=1&TOKEN=2&jwt=3&api_key=4&key=5"))
                .isEqualTo("/x?subToken=REDACTED&TOKEN=REDACTED&jwt=REDACTED&api_key=REDACTED&key=REDACTED");
    }

    @Test
    void percentEncodedNamesDoNotSlipThrough() {
        assertThat(RedactedUri.of("/x?%74oken=abc")).isEqualTo("/x?%74oken=REDACTED");
        assertThat(RedactedUri.of("/x?access%5Ftoken=abc")).isEqualTo("/x?access%5Ftoken=REDACTED");
    }

    @Test
    void leavesUrisWithoutSecretsAlone() {
        assertThat(RedactedUri.of("/connection/websocket")).isEqualTo("/connection/websocket");
        assertThat(RedactedUri.of("/x?format=protobuf&&flag")).isEqualTo("/x?format=protobuf&&flag");
        assertThat(RedactedUri.of("/x?")).isEqualTo("/x?");
        assertThat(RedactedUri.of(null)).isNull();
    }

    @Test
    void dropsTheFragment() {
        assertThat(RedactedUri.of("/x?token=a#token=b")).isEqualTo("/x?token=REDACTED");
    }

    @Property(tries = 2000)
    void theTokenValueNeverSurvives(@ForAll @AlphaChars @StringLength(min = 8, max = 40) String secret,
                                    @ForAll @StringLength(max = 20) String before,
                                    @ForAll @StringLength(max = 20) String after) {
        String safeBefore = before.replace("&", "").replace("#", "").replace("?", "").replace("=", "");
        String safeAfter = after.replace("&", "").replace("#", "").replace("=", "");
        String uri = "/p?a=" + safeBefore + "&token=" + secret + "&b=" + safeAfter;
        String redacted = RedactedUri.of(uri);
        assertThat(redacted).contains("token=REDACTED");
        assertThat(redacted.replace("a=" + safeBefore, "").replace("b=" + safeAfter, "")).doesNotContain(secret);
    }
}
