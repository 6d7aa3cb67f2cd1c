package dev.weft.server.admin;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminSessionsTest {
    private static final String SECRET = "a-secret-of-more-than-16-characters";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static AdminSessions at(Instant now, String secret) {
        return new AdminSessions("right password", secret, false, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static HttpHeaders cookieHeader(String setCookie) {
        return new DefaultHttpHeaders().add(HttpHeaderNames.COOKIE, setCookie.substring(0, setCookie.indexOf(';')));
    }

    @Test
    void onlyTheRightPasswordMatches() {
        AdminSessions sessions = at(NOW, SECRET);
        assertThat(sessions.passwordMatches("right password")).isTrue();
        assertThat(sessions.passwordMatches("right passwor")).isFalse();
        assertThat(sessions.passwordMatches("")).isFalse();
    }

    @Test
    void theCookieIsHttpOnlyStrictAndScopedToAdmin() {
        String cookie = at(NOW, SECRET).newSessionCookie();
        assertThat(cookie).startsWith("weft_admin=v1.").contains("; Path=/admin", "; HttpOnly", "; SameSite=Strict",
                "; Max-Age=43200");
        assertThat(cookie).doesNotContain("Secure");
        assertThat(at(NOW, SECRET).clearedCookie()).contains("Max-Age=0", "Path=/admin");
        AdminSessions overTls = new AdminSessions("pw", SECRET, true, Clock.systemUTC());
        assertThat(overTls.newSessionCookie()).endsWith("; Secure");
        assertThat(overTls.clearedCookie()).endsWith("; Secure");
    }

    @Test
    void aSessionIsAcceptedUntilItExpires() {
        String cookie = at(NOW, SECRET).newSessionCookie();
        assertThat(at(NOW.plus(Duration.ofHours(11)), SECRET).authenticated(cookieHeader(cookie))).isTrue();
        assertThat(at(NOW.plus(Duration.ofHours(12)), SECRET).authenticated(cookieHeader(cookie))).isFalse();
    }

    @Test
    void anotherSecretOrAnEditedExpiryIsRefused() {
        String cookie = at(NOW, SECRET).newSessionCookie();
        assertThat(at(NOW, SECRET + "x").authenticated(cookieHeader(cookie))).isFalse();
        String value = cookie.substring("weft_admin=".length(), cookie.indexOf(';'));
        String[] parts = value.split("\\.");
        String later = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
        assertThat(at(NOW, SECRET).valid(later)).isFalse();
        assertThat(at(NOW, SECRET).valid("v1." + (NOW.getEpochSecond() + 60))).isFalse();
        assertThat(at(NOW, SECRET).valid("")).isFalse();
        assertThat(at(NOW, SECRET).authenticated(new DefaultHttpHeaders())).isFalse();
    }

    @Test
    void aMissingPasswordOrAShortSecretIsRefused() {
        assertThatThrownBy(() -> new AdminSessions("", SECRET, false, Clock.systemUTC()))
                .hasMessageContaining("admin.password");
        assertThatThrownBy(() -> new AdminSessions("pw", "short-secret", false, Clock.systemUTC()))
                .hasMessageContaining("admin.secret");
    }
}
