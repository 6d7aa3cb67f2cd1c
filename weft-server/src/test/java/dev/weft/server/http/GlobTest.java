package dev.weft.server.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code channels} pattern syntax (gobwas/glob without separators). */
class GlobTest {

    @Test
    void wildcardsClassesAndAlternatives() {
        Predicate<String> star = Glob.compile("news:*");
        assertThat(star).accepts("news:", "news:eu", "news:eu:sport").rejects("news", "xnews:eu");
        assertThat(Glob.compile("*")).accepts("", "anything:at/all");
        assertThat(Glob.compile("c?at")).accepts("chat", "coat").rejects("cat", "chats");
        assertThat(Glob.compile("room[0-9]")).accepts("room1", "room9").rejects("rooma", "room10");
        assertThat(Glob.compile("room[!0-9]")).accepts("rooma").rejects("room1");
        assertThat(Glob.compile("{news,chat}:*")).accepts("news:1", "chat:2").rejects("sport:1");
        assertThat(Glob.compile("{a*,b?}")).accepts("a", "abc", "bx").rejects("b", "bxy");
        assertThat(Glob.compile("a\\*b")).accepts("a*b").rejects("axb");
        assertThat(Glob.compile("price.$[x]")).accepts("price.$x").rejects("priceX$x");
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String bad : new String[] {"[", "[]", "{a,b", "a\\"}) {
            assertThatThrownBy(() -> Glob.compile(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 2000)
    void anEscapedStringMatchesExactlyItself(@ForAll String text, @ForAll String other) {
        StringBuilder escaped = new StringBuilder();
        text.chars().forEach(c -> escaped.append('\\').append((char) c));
        Predicate<String> glob = Glob.compile(escaped.toString());
        assertThat(glob.test(text)).isTrue();
        assertThat(glob.test(other)).isEqualTo(other.equals(text));
    }

    @Property(tries = 2000)
    void starMatchesEveryStringWithThePrefix(@ForAll String prefix, @ForAll String rest) {
        StringBuilder escaped = new StringBuilder();
        prefix.chars().forEach(c -> escaped.append('\\').append((char) c));
        assertThat(Glob.compile(escaped + "*").test(prefix + rest)).isTrue();
    }
}
