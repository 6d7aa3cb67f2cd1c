package dev.weft.server.api;

import dev.weft.server.api.model.BatchRequest;
import dev.weft.server.api.model.BroadcastRequest;
import dev.weft.server.api.model.JsonPayload;
import dev.weft.server.api.model.PublishRequest;
import dev.weft.server.api.model.RefreshRequest;
import dev.weft.server.api.model.SubscribeRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API payload ({@code data}, {@code info}, batch items) reaches the handler as the exact bytes the
 * caller wrote: numbers beyond double precision, trailing zeros, exponents, escapes and whitespace included.
 */
class PayloadBytesPropertyTest {
    private static final ApiMethod<PublishRequest, Object> PUBLISH = method("publish", PublishRequest.class);

    @Property(tries = 300)
    void publishDataKeepsItsBytes(@ForAll("json") String data, @ForAll("space") String before,
                                  @ForAll("space") String after) {
        PublishRequest r = (PublishRequest) ApiCalls.decode(PUBLISH,
                bytes("{\"channel\":\"c\"," + before + "\"data\":" + before + data + after + ",\"tags\":{}}"));

        assertThat(r.data()).isEqualTo(payload(data));
    }

    @Property(tries = 200)
    void everyPayloadFieldKeepsItsBytes(@ForAll("json") String a, @ForAll("json") String b) {
        BroadcastRequest broadcast = (BroadcastRequest) ApiCalls.decode(method("broadcast", BroadcastRequest.class),
                bytes("{\"channels\":[\"x\"],\"data\":" + a + "}"));
        SubscribeRequest subscribe = (SubscribeRequest) ApiCalls.decode(method("subscribe", SubscribeRequest.class),
                bytes("{\"user\":\"u\",\"channel\":\"x\",\"info\":" + a + ",\"data\":" + b + "}"));
        RefreshRequest refresh = (RefreshRequest) ApiCalls.decode(method("refresh", RefreshRequest.class),
                bytes("{\"user\":\"u\",\"info\":" + b + "}"));

        assertThat(broadcast.data()).isEqualTo(payload(a));
        assertThat(subscribe.info()).isEqualTo(payload(a));
        assertThat(subscribe.data()).isEqualTo(payload(b));
        assertThat(refresh.info()).isEqualTo(payload(b));
    }

    @Property(tries = 200)
    void batchItemsKeepTheirPayloadBytes(@ForAll("json") String a, @ForAll("json") String b,
                                         @ForAll("space") String space) {
        BatchRequest batch = (BatchRequest) ApiCalls.decode(method("batch", BatchRequest.class),
                bytes("{\"commands\":[" + space + "{\"publish\":{\"channel\":\"x\",\"data\":" + a + "}}," + space
                        + "{\"publish\":" + space + "{\"data\":" + b + space + ",\"channel\":\"y\"}" + space + "}]}"));

        PublishRequest first = (PublishRequest) ApiCalls.decode(PUBLISH, batch.commands().get(0).get("publish").bytes());
        PublishRequest second = (PublishRequest) ApiCalls.decode(PUBLISH, batch.commands().get(1).get("publish").bytes());
        assertThat(first.data()).isEqualTo(payload(a));
        assertThat(second.data()).isEqualTo(payload(b));
        assertThat(second.channel()).isEqualTo("y");
    }

    @Provide
    Arbitrary<String> space() {
        return Arbitraries.strings().withChars(' ', '\t', '\n', '\r').ofMaxLength(3);
    }

    @Provide
    Arbitrary<String> json() {
        return value(3);
    }

    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(numbers(), strings(), Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> element = Combinators.combine(Arbitraries.lazy(() -> value(depth - 1)),
                Arbitraries.strings().withChars(' ', '\n').ofMaxLength(2)).as((v, s) -> s + v + s);
        Arbitrary<String> array = element.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(strings(), element).as((k, v) -> k + ":" + v)
                .list().ofMaxSize(3).map(fields -> "{" + String.join(",", fields) + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Numbers as JSON allows them: signs, leading zero alone, long fractions, trailing zeros, exponents. */
    private static Arbitrary<String> numbers() {
        Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
                        .filter(s -> s.charAt(0) != '0'));
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
                .map(s -> "." + s).injectNull(0.4).map(s -> s == null ? "" : s);
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3))
                .as((e, sign, digits) -> e + sign + digits).injectNull(0.5).map(s -> s == null ? "" : s);
        return Combinators.combine(Arbitraries.of("", "-"), integer, fraction, exponent)
                .as((sign, i, f, e) -> sign + i + f + e);
    }

    /** Strings with escapes (including \\u sequences and an escaped solidus) and non-ASCII text. */
    private static Arbitrary<String> strings() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(4),
                Arbitraries.of("\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\ud83d\\ude00", "é", "😀", " ", "{", "]"));
        return piece.list().ofMaxSize(4).map(parts -> "\"" + String.join("", parts) + "\"");
    }

    private static <Q> ApiMethod<Q, Object> method(String name, Class<Q> type) {
        return ApiMethod.of(name, "", type, Object.class, "", r -> r);
    }

    private static JsonPayload payload(String json) {
        return new JsonPayload(bytes(json));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
