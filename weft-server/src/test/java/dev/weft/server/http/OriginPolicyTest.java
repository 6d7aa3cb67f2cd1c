package dev.weft.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** The cases of Centrifugo's own origin_test.go, which uses gobwas/glob: Weft must agree. */
    @Test
    void agreesWithCentrifugoPatternChecks() {
        OriginPolicy star = new OriginPolicy(List.of("*.example.com", "foo.com"));
        assertThat(star.refusal("", "h")).as("empty origin").isNull();
        assertThat(star.refusal("https://two.Example.com", "h")).as("* spans the scheme too").isNull();
        assertThat(new OriginPolicy(List.of("foo.com", "bar.com")).refusal("https://two.Example.com", "h")).isNotNull();
        assertThat(star.refusal("https://two.\u0435xample.com", "h")).as("Cyrillic e").isNotNull();
        assertThat(new OriginPolicy(List.of("file://*")).refusal("file://", "h")).isNull();
        assertThat(new OriginPolicy(List.of("null")).refusal("null", "h")).isNull();
    }

    @Test
    void globSyntaxOfGobwasGlob() {
        OriginPolicy policy = new OriginPolicy(List.of(
                "https://{app,admin}.example.com", "http://localhost:300?", "https://v[0-9].example.org",
                "https://[!x]y.test", "https://literal\\*.test"));
        assertThat(policy.refusal("https://app.example.com", "h")).isNull();
        assertThat(policy.refusal("https://admin.example.com", "h")).isNull();
        assertThat(policy.refusal("https://api.example.com", "h")).isNotNull();
        assertThat(policy.refusal("http://localhost:3001", "h")).isNull();
        assertThat(policy.refusal("http://localhost:30011", "h")).as("? is exactly one character").isNotNull();
        assertThat(policy.refusal("https://v7.example.org", "h")).isNull();
        assertThat(policy.refusal("https://vx.example.org", "h")).isNotNull();
        assertThat(policy.refusal("https://ay.test", "h")).isNull();
        assertThat(policy.refusal("https://xy.test", "h")).isNotNull();
        assertThat(policy.refusal("https://literal*.test", "h")).isNull();
        assertThat(policy.refusal("https://literalx.test", "h")).as("escaped star is literal").isNotNull();
    }

    @Test
    void malformedPatternsAreRejectedUpFront() {
        assertThatThrownBy(() -> new OriginPolicy(List.of("https://[abc.test"))).hasMessageContaining("unterminated [");
        assertThatThrownBy(() -> new OriginPolicy(List.of("https://{a,b.test"))).hasMessageContaining("unterminated {");
        assertThatThrownBy(() -> OriginPolicy.validate(List.of("ok", "bad\\"))).hasMessageContaining("trailing");
    }

    @Test
    void cookieAuthenticatedRequestsMustComeFromAnAllowedOrigin() {
        OriginPolicy sameHost = new OriginPolicy(List.of());
        assertThat(sameHost.cookieAuthRefusal("https://weft.test", "weft.test", "same-origin")).isNull();
        assertThat(sameHost.cookieAuthRefusal("https://evil.test", "weft.test", "cross-site")).isNotNull();
        // No Origin: a cross-site <img>/<iframe> request still says where it came from.
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", "cross-site")).isNotNull();
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", "same-site")).as("a sibling subdomain").isNull();
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", "cross-origin?")).as("unknown value").isNotNull();
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", "same-origin")).isNull();
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", "none")).as("typed URL, bookmark").isNull();
        assertThat(sameHost.cookieAuthRefusal(null, "weft.test", null)).as("not a browser").isNull();
        OriginPolicy listed = new OriginPolicy(List.of("https://app.example.com"));
        assertThat(listed.cookieAuthRefusal("https://app.example.com", "rt.example.com", "same-site")).isNull();
        OriginPolicy wildcard = new OriginPolicy(List.of("*", "https://app.example.com"));
        assertThat(wildcard.cookieAuthRefusal("https://evil.example", "rt.example.com", "cross-site"))
                .as("let in only through *").isNotNull();
        assertThat(wildcard.cookieAuthRefusal("https://app.example.com", "rt.example.com", "cross-site")).isNull();
    }

    @Test
    void patternsThatLetInAnySiteAreRecognised() {
        for (String broad : List.of("*", "**", "https://*", "*://*", "http*", "{https,http}://*")) {
            assertThat(new OriginPolicy(List.of(broad)).allowsAnySite()).as(broad).isTrue();
            assertThat(OriginPolicy.cookieConflict(List.of(broad), "t")).as(broad).contains(broad);
        }
        for (String narrow : List.of("https://app.example.com", "https://*.example.com", "http://localhost:*")) {
            assertThat(new OriginPolicy(List.of(narrow)).allowsAnySite()).as(narrow).isFalse();
            assertThat(OriginPolicy.cookieConflict(List.of(narrow), "t")).as(narrow).isNull();
        }
        assertThat(OriginPolicy.cookieConflict(List.of("*"), "")).as("no cookie, no conflict").isNull();
    }
}
