package dev.weft.server.websocket;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginPolicyTest {

    @Test
    void requestsWithoutOriginAreAllowed() {
        assertThat(new OriginPolicy(List.of()).refusal(null, "h")).isNull();
        assertThat(new OriginPolicy(List.of("https://a.com")).refusal("", "h")).isNull();
    }

    @Test
    void emptyListMeansSameHostOnly() {
        OriginPolicy policy = new OriginPolicy(List.of());
        assertThat(policy.refusal("http://localhost:8000", "localhost:8000")).isNull();
        assertThat(policy.refusal("https://LOCALHOST:8000", "localhost:8000")).isNull();
        assertThat(policy.refusal("http://localhost:3000", "localhost:8000")).isNotNull();
        assertThat(policy.refusal("http://evil.com", "localhost:8000")).isNotNull();
        assertThat(policy.refusal("null", "localhost:8000")).isNotNull();
    }

    @Test
    void wildcardsMatchAnyRun() {
        OriginPolicy policy = new OriginPolicy(List.of("https://*.example.com", "http://localhost:*"));
        assertThat(policy.refusal("https://app.example.com", "x")).isNull();
        assertThat(policy.refusal("https://a.b.Example.com", "x")).isNull();
        assertThat(policy.refusal("http://localhost:3000", "x")).isNull();
        assertThat(policy.refusal("https://example.com", "x")).isNotNull();
        assertThat(policy.refusal("http://app.example.com", "x")).isNotNull();
        assertThat(policy.refusal("https://example.com.evil.net", "x")).isNotNull();
        assertThat(new OriginPolicy(List.of("*")).refusal("https://anything.test", "x")).isNull();
    }

    @Test
    void patternCharactersOtherThanStarAreLiteral() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com"));
        assertThat(policy.refusal("https://appxexample.com", "x")).isNotNull();
    }
}
