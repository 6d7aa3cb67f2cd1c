package dev.weft.core.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import dev.weft.core.broker.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.weft.core.auth.TestTokens.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd time claims never mean "no expiry". A present {@code exp} is a number of seconds: one in the past (0,
 * 0.5, -1, a second ago) is expired, as Centrifugo's cristalhq/jwt compares it (a fraction counts; nothing is
 * truncated to 0 and read as absent); one that is not a number (a string, a bool, an object) or not a date at
 * all (1e300) makes the token invalid. Only an absent or null {@code exp} means no expiry. The same for
 * {@code nbf}, {@code iat} and {@code expire_at}, in connection and subscription tokens.
 */
class TokenTimeClaimsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.250Z");
    private static final long NOW_S = NOW.getEpochSecond();
    private final JwtVerifier verifier = new JwtVerifier(TokenOptions.builder().hmacSecretKey(TestTokens.SECRET)
            .build(), new MutableClock(NOW));

    private static String token(String payloadJson) {
        return TestTokens.hmacRaw(new JWSHeader(JWSAlgorithm.HS256).toBase64URL().toString(), payloadJson,
                JWSAlgorithm.HS256, TestTokens.SECRET);
    }

    /** The verdict for {@code claims} (JSON members without braces) as a connection and as a subscription token. */
    private List<InvalidTokenException.Kind> verdicts(String claims) {
        String connect = token("{\"sub\":\"a\"," + claims + "}");
        String subscribe = token("{\"sub\":\"a\",\"channel\":\"$c\"," + claims + "}");
        return List.of(refusal(() -> verifier.verifyConnectToken(connect)),
                refusal(() -> verifier.verifySubscriptionToken(subscribe)));
    }

    private static final InvalidTokenException.Kind EXPIRED = InvalidTokenException.Kind.EXPIRED;
    private static final InvalidTokenException.Kind INVALID = InvalidTokenException.Kind.INVALID;

    @Test
    void expInThePastHoweverWrittenIsExpired() {
        for (String exp : List.of("0", "0.5", "-1", "-0.5", "1", String.valueOf(NOW_S - 1), NOW_S + ".2",
                String.valueOf(NOW_S), "1.0")) {
            assertThat(verdicts("\"exp\":" + exp)).as("exp " + exp).containsOnly(EXPIRED);
        }
    }

    @Test
    void expThatIsNotADateIsInvalid() {
        for (String exp : List.of("\"abc\"", "\"" + (NOW_S + 60) + "\"", "true", "false", "{}", "[1]", "1e300",
                "-1e300", "-9.2e18", "99999999999999999999", "1e12")) {
            assertThat(verdicts("\"exp\":" + exp)).as("exp " + exp).containsOnly(INVALID);
        }
    }

    @Test
    void nbfAndIatFollowTheSameRules() {
        for (String bad : List.of("\"abc\"", "true", "1e300", "{}")) {
            assertThat(verdicts("\"nbf\":" + bad)).as("nbf " + bad).containsOnly(INVALID);
            assertThat(verdicts("\"iat\":" + bad)).as("iat " + bad).containsOnly(INVALID);
        }
        assertThat(verdicts("\"nbf\":" + (NOW_S + 60) + ".5")).containsOnly(EXPIRED);
    }

    @Test
    void expireAtMustBeAWholeNonNegativeNumber() {
        for (String bad : List.of("0.5", "-1", "\"0\"", "true", "1e300", "1.0")) {
            assertThat(verdicts("\"exp\":" + (NOW_S + 60) + ",\"expire_at\":" + bad)).as("expire_at " + bad)
                    .containsOnly(INVALID);
        }
    }

    @Test
    void absentOrNullExpMeansNoExpiryAndAFractionInTheFutureIsAccepted() throws Exception {
        assertThat(verifier.verifyConnectToken(token("{\"sub\":\"a\"}")).expireAt()).isZero();
        assertThat(verifier.verifyConnectToken(token("{\"sub\":\"a\",\"exp\":null}")).expireAt()).isZero();
        // Seconds are counted down, as Centrifugo's NumericDate.Unix(): never more time than the token has.
        assertThat(verifier.verifyConnectToken(token("{\"sub\":\"a\",\"exp\":" + (NOW_S + 60) + ".9}")).expireAt())
                .isEqualTo(NOW_S + 60);
        assertThat(verifier.verifyConnectToken(token("{\"sub\":\"a\",\"exp\":" + NOW_S + ".5}")).expireAt())
                .as("half a second left: accepted, and expires at once").isEqualTo(NOW_S);
        assertThat(verifier.verifySubscriptionToken(token("{\"sub\":\"a\",\"channel\":\"$c\",\"exp\":"
                + (NOW_S + 60) + ".5,\"iat\":" + (NOW_S - 10) + ".7}")).expireAt()).isEqualTo(NOW_S + 60);
    }

    @Property(tries = 300)
    void noPresentExpEverReadsAsNoExpiry(@ForAll("expValues") String exp) {
        String t = token("{\"sub\":\"a\",\"exp\":" + exp + "}");
        try {
            long expireAt = verifier.verifyConnectToken(t).expireAt();
            assertThat(expireAt).as("accepted exp " + exp + " must expire, in the future")
                    .isGreaterThanOrEqualTo(NOW_S);
        } catch (InvalidTokenException e) {
            assertThat(e.kind()).isIn(EXPIRED, INVALID);
        }
    }

    @Provide
    Arbitrary<String> expValues() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("Infinity") && !s.contains("NaN")),
                Arbitraries.longs().between(-10, NOW_S + 10).map(s -> s + "." + (Math.abs(s) % 10)),
                Arbitraries.of("true", "false", "\"x\"", "{}", "[]", "1e300", "-0", "0.0", "1E3"));
    }
}
