package dev.weft.server.http;

import dev.weft.server.http.TokenExtractor.RequestToken;
import dev.weft.server.http.TokenExtractor.Source;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where an HTTP transport finds the connection token, and where it must not look. */
class TokenExtractorTest {
    private static final Map<String, java.util.List<String>> NO_QUERY = Map.of();
    private static final dev.weft.server.http.OriginPolicy SAME_HOST =
            new dev.weft.server.http.OriginPolicy(java.util.List.of());

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    private static Map<String, java.util.List<String>> query(String uri) {
        return new QueryStringDecoder(uri).parameters();
    }

    @Test
    void readsBearerTokenWithAnySchemeCase() throws Exception {
        var extractor = TokenExtractor.headerOnly();
        assertThat(extractor.extract(headers("Authorization", "Bearer abc.def.ghi"), NO_QUERY, false))
                .contains(new RequestToken("abc.def.ghi", Source.AUTHORIZATION_HEADER));
        assertThat(extractor.extract(headers("authorization", "bearer  xyz "), NO_QUERY, false))
                .map(RequestToken::token).contains("xyz");
    }

    @Test
    void ignoresOtherAuthorizationSchemesAndEmptyBearer() throws Exception {
        var extractor = TokenExtractor.headerOnly();
        assertThat(extractor.extract(headers("Authorization", "Basic dXNlcjpwYXNz"), NO_QUERY, false)).isEmpty();
        assertThat(extractor.extract(headers("Authorization", "apikey secret"), NO_QUERY, false)).isEmpty();
        assertThat(extractor.extract(headers("Authorization", "Bearer   "), NO_QUERY, false)).isEmpty();
        assertThat(extractor.extract(headers("Authorization", "Bearer"), NO_QUERY, false)).isEmpty();
        assertThat(extractor.extract(headers("Authorization", "Bearerabc"), NO_QUERY, false)).isEmpty();
    }

    /** Attack: a page on another site makes the browser send the user's cookie; off unless configured. */
    @Test
    void cookiesAreNotReadUnlessANameIsConfigured() throws Exception {
        HttpHeaders h = headers("Cookie", "weft_token=t1");
        assertThat(TokenExtractor.headerOnly().extract(h, NO_QUERY, false)).isEmpty();
        Optional<RequestToken> found = new TokenExtractor("weft_token", SAME_HOST).extract(h, NO_QUERY, false);
        assertThat(found).contains(new RequestToken("t1", Source.COOKIE));
        assertThat(found.orElseThrow().fromCookie()).isTrue();
    }

    @Test
    void findsTheNamedCookieAmongOthersAndAcrossHeaders() throws Exception {
        var extractor = new TokenExtractor("tok", SAME_HOST);
        assertThat(extractor.extract(headers("Cookie", "a=1; tok=t2; b=3"), NO_QUERY, false))
                .map(RequestToken::token).contains("t2");
        assertThat(extractor.extract(headers("Cookie", "a=1", "Cookie", "tok=t3"), NO_QUERY, false))
                .map(RequestToken::token).contains("t3");
        assertThat(extractor.extract(headers("Cookie", "tokx=1; xtok=2"), NO_QUERY, false)).isEmpty();
    }

    /** Attack: another site's page makes the browser send the cookie; the extractor refuses to hand it out. */
    @Test
    void aCookieFromACrossSiteRequestIsRefusedButAHeaderIsNot() throws Exception {
        var extractor = new TokenExtractor("tok", SAME_HOST);
        assertThatThrownBy(() -> extractor.extract(headers("Cookie", "tok=c", "Sec-Fetch-Site", "cross-site"),
                NO_QUERY, false)).isInstanceOf(TokenExtractor.CrossSiteCookie.class)
                .hasMessageContaining("Sec-Fetch-Site: cross-site");
        assertThatThrownBy(() -> extractor.extract(headers("Cookie", "tok=c", "Host", "weft.test",
                "Origin", "https://evil.example"), NO_QUERY, false)).isInstanceOf(TokenExtractor.CrossSiteCookie.class);
        assertThat(extractor.extract(headers("Cookie", "tok=c", "Sec-Fetch-Site", "same-site"), NO_QUERY, false))
                .map(RequestToken::token).contains("c");
        assertThat(extractor.extract(headers("Cookie", "tok=c", "Authorization", "Bearer h",
                "Sec-Fetch-Site", "cross-site"), NO_QUERY, false)).map(RequestToken::token).contains("h");
        assertThatThrownBy(() -> new TokenExtractor("tok",
                new dev.weft.server.http.OriginPolicy(java.util.List.of("*"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("any site");
    }

    @Test
    void headerWinsOverCookieAndCookieOverQuery() throws Exception {
        var extractor = new TokenExtractor("tok", SAME_HOST);
        HttpHeaders both = headers("Authorization", "Bearer h", "Cookie", "tok=c");
        assertThat(extractor.extract(both, query("/x?token=q"), true)).map(RequestToken::source)
                .contains(Source.AUTHORIZATION_HEADER);
        assertThat(extractor.extract(headers("Cookie", "tok=c"), query("/x?token=q"), true))
                .map(RequestToken::source).contains(Source.COOKIE);
    }

    /** A token is never required in, nor by default read from, the URL. */
    @Test
    void queryParameterOnlyWhenTheTransportAllowsIt() throws Exception {
        var extractor = TokenExtractor.headerOnly();
        assertThat(extractor.extract(headers(), query("/x?token=q1"), false)).isEmpty();
        assertThat(extractor.extract(headers(), query("/x?token=q1"), true))
                .contains(new RequestToken("q1", Source.QUERY));
        assertThat(extractor.extract(headers(), query("/x?token="), true)).isEmpty();
        assertThat(extractor.extract(headers(), NO_QUERY, true)).isEmpty();
    }

    @Test
    void toStringNeverShowsTheToken() throws Exception {
        assertThat(new RequestToken("secret.jwt.value", Source.QUERY).toString()).doesNotContain("secret");
    }
}
