package dev.weft.server.sse;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseEventIdTest {

    @Property
    void aPositionSurvivesEncodingAndParsing(@ForAll("channels") String channel, @ForAll("texts") String epoch,
                                             @ForAll long offset) {
        String id = SseEventId.encode(channel, epoch, offset);

        Map<String, SseEventId.Position> parsed = SseEventId.parse(id, 1);

        assertThat(parsed).containsExactly(Map.entry(channel, new SseEventId.Position(channel, epoch, offset)));
    }

    @Property
    void anIdIsPrintableAsciiWithoutSpacesAndSeparatorsOnlyBetweenParts(@ForAll("channels") String channel,
                                                                       @ForAll("texts") String epoch,
                                                                       @ForAll long offset) {
        String id = SseEventId.encode(channel, epoch, offset);

        assertThat(id.chars()).allMatch(c -> c > 0x20 && c < 0x7F);
        assertThat(id).doesNotContain(",");
        assertThat(id.chars().filter(c -> c == '/').count()).isEqualTo(2);
        assertThat(SseEventId.channelPart(id)).isEqualTo(SseEventId.encode(channel, "", 0).replace("//0", ""));
    }

    @Property
    void severalPositionsSurviveInTheirOrder(@ForAll @Size(min = 1, max = 8) @UniqueElements
                                             List<@net.jqwik.api.From("channels") String> channels,
                                             @ForAll long offset) {
        String id = channels.stream().map(c -> SseEventId.encode(c, "e-" + c.length(), offset))
                .collect(Collectors.joining(","));

        Map<String, SseEventId.Position> parsed = SseEventId.parse(id, channels.size());

        assertThat(parsed.keySet()).containsExactlyElementsOf(channels);
        parsed.forEach((c, p) -> assertThat(p).isEqualTo(new SseEventId.Position(c, "e-" + c.length(), offset)));
    }

    @Property
    void anyTextEitherParsesOrIsRefusedWithAReason(@ForAll("idLike") String text) {
        try {
            Map<String, SseEventId.Position> parsed = SseEventId.parse(text, 16);
            String again = parsed.values().stream().map(SseEventId.Position::encode).collect(Collectors.joining(","));
            assertThat(SseEventId.parse(again, 16)).isEqualTo(parsed);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Example
    void aChannelWithoutHistoryHasAnEmptyEpochAndOffsetZero() {
        assertThat(SseEventId.encode("news", "", 0)).isEqualTo("news//0");
        assertThat(SseEventId.parse("news//0", 1)).containsEntry("news", new SseEventId.Position("news", "", 0));
    }

    @Example
    void namespaceAndUserSeparatorsStayReadableOrAreEscaped() {
        assertThat(SseEventId.encode("chat:room", "ab12", 7)).isEqualTo("chat:room/ab12/7");
        assertThat(SseEventId.encode("dialog#42,43", "e", 1)).isEqualTo("dialog#42%2C43/e/1");
        assertThat(SseEventId.encode("a/b", "e", 1)).isEqualTo("a%2Fb/e/1");
        assertThat(SseEventId.encode("café", "e", 1)).isEqualTo("caf%C3%A9/e/1");
        assertThat(SseEventId.encode("x", "e", -1)).isEqualTo("x/e/18446744073709551615");
    }

    @Example
    void garbageIsRefused() {
        for (String garbage : List.of("", "news", "news/e", "/e/1", "news/e/", "news/e/x", "news/e/-1",
                "news/e/18446744073709551616", "news/e/1,news/e/2", "news/e/1,", "%zz/e/1", "%C3/e/1",
                "a b/e/1", "news/e/1/2", "caf\u00e9/e/1", "news/e/+1")) {
            assertThatThrownBy(() -> SseEventId.parse(garbage, 8)).as(garbage)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Example
    void tooManyPositionsAreRefused() {
        assertThatThrownBy(() -> SseEventId.parse("a/e/1,b/e/1,c/e/1", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 2");
    }

    @Provide
    Arbitrary<String> channels() {
        return texts().filter(s -> !s.isEmpty());
    }

    @Provide
    Arbitrary<String> texts() {
        // Any Unicode text without lone surrogates (channel names are real strings), biased to separators.
        Arbitrary<String> chars = Arbitraries.oneOf(
                Arbitraries.of("/", ",", "%", ":", "#", "$", " ", "é", "\u2028", "\n", "😀", "a", "Z", "9"),
                Arbitraries.chars().filter(c -> !Character.isSurrogate(c)).map(String::valueOf));
        return chars.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> idLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc/,%0123456789:ABCDEF").ofMaxLength(30),
                Arbitraries.strings().ofMaxLength(30));
    }
}
