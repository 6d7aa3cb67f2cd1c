package dev.weft.core.docs;

import dev.weft.yjs.YjsFormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwarenessStatesTest {
    private final RecordingPeer a = new RecordingPeer("a");
    private final RecordingPeer b = new RecordingPeer("b");

    @Test
    void decodesWhatYProtocolsEncodes() throws Exception {
        // y-protocols 1.0.7 encodeAwarenessUpdate: client 12345, clock 2, state {"user":{"name":"Ann"}}
        byte[] bytes = HexFormat.of().parseHex("01b96002177b2275736572223a7b226e616d65223a22416e6e227d7d");
        assertThat(AwarenessStates.decode(bytes))
                .containsExactly(new AwarenessStates.Entry(12345, 2, "{\"user\":{\"name\":\"Ann\"}}"));
        assertThat(AwarenessStates.encode(AwarenessStates.decode(bytes))).isEqualTo(bytes);
    }

    @Test
    void higherClockWinsAndRemovalWinsAtEqualClock() {
        AwarenessStates states = new AwarenessStates();
        assertThat(states.apply(List.of(new AwarenessStates.Entry(1, 2, "{}")), a)).isTrue();
        assertThat(states.apply(List.of(new AwarenessStates.Entry(1, 1, "{\"old\":1}")), a)).isFalse();
        assertThat(states.apply(List.of(new AwarenessStates.Entry(1, 2, "null")), a)).isTrue();
        assertThat(states.presentCount()).isZero();
        assertThat(states.snapshot()).isNull();
    }

    @Test
    void leavingRemovesOnlyTheStatesOfThatPeer() throws Exception {
        AwarenessStates states = new AwarenessStates();
        states.apply(List.of(new AwarenessStates.Entry(1, 5, "{}")), a);
        states.apply(List.of(new AwarenessStates.Entry(2, 1, "{}")), b);

        assertThat(AwarenessStates.decode(states.removeOwnedBy(a)))
                .containsExactly(new AwarenessStates.Entry(1, 6, "null"));
        assertThat(states.removeOwnedBy(a)).isNull();
        assertThat(AwarenessStates.decode(states.snapshot())).containsExactly(new AwarenessStates.Entry(2, 1, "{}"));
    }

    @Test
    void refusesTrailingBytesAndHugeCounts() {
        assertThatThrownBy(() -> AwarenessStates.decode(new byte[]{0, 0})).isInstanceOf(YjsFormatException.class);
        assertThatThrownBy(() -> AwarenessStates.decode(new byte[]{(byte) 0xff, (byte) 0xff, 0x7f}))
                .isInstanceOf(YjsFormatException.class);
    }

    @Test
    void refusesAStateThatIsNotOneJsonValue() {
        // Peers JSON.parse every state they are sent: one that does not parse would break their awareness.
        for (String state : List.of("{not json", "", "{} {}", "{\"a\":1", "[".repeat(5000) + "]".repeat(5000))) {
            assertThatThrownBy(() -> AwarenessStates.decode(AwarenessStates.encode(
                    List.of(new AwarenessStates.Entry(1, 1, state))))).as(state.length() > 20 ? "deep" : state)
                    .isInstanceOf(YjsFormatException.class).hasMessageContaining("state");
        }
    }

    @Test
    void acceptsAnyJsonValueAsAState() throws Exception {
        List<AwarenessStates.Entry> entries = List.of(new AwarenessStates.Entry(1, 1, "null"),
                new AwarenessStates.Entry(2, 1, " {\"cursor\":{\"x\":1.5e3,\"name\":\"\\u00e9\"}} "),
                new AwarenessStates.Entry(3, 1, "\"text\""), new AwarenessStates.Entry(4, 1, "[1,true,null]"));
        assertThat(AwarenessStates.decode(AwarenessStates.encode(entries))).isEqualTo(entries);
    }

    @Property(tries = 2000)
    void anyBytesDecodeOrFailWithTheFormatException(@ForAll byte[] bytes) {
        try {
            AwarenessStates.decode(bytes);
        } catch (YjsFormatException expected) {
            // the only failure allowed
        }
    }
}
