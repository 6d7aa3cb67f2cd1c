package dev.weft.nats;

import dev.weft.protocol.model.ClientInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeTest {
    private static final ClientInfo BOB = new ClientInfo("bob", "c1", null, null);

    @Test
    void plainPublicationKeepsVersionOneSoNodesWithoutDeltaSupportStillReadIt() {
        Envelope plain = new Envelope(Envelope.Kind.PUBLICATION, 3, "ep", 7, 100, 0, 10, BOB, Map.of("k", "v"),
                bytes("data"));
        byte[] encoded = plain.encode();

        assertThat(encoded[0]).isEqualTo((byte) 1);
        Envelope decoded = Envelope.decode(encoded);
        assertThat(decoded.delta()).isFalse();
        assertThat(decoded.publication().data()).isEqualTo(bytes("data"));
        assertThat(decoded.tags()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void deltaFlagTravelsInVersionTwoAndEverythingElseReadsAsBefore() {
        Envelope delta = new Envelope(Envelope.Kind.PUBLICATION, 3, "ep", 7, 100, 5, 10, BOB, Map.of("k", "v"),
                bytes("data"), true);

        Envelope decoded = Envelope.decode(delta.encode());

        assertThat(delta.encode()[0]).isEqualTo((byte) 2);
        assertThat(decoded.delta()).isTrue();
        assertThat(decoded.publication().delta()).isFalse(); // the data itself is whole
        assertThat(decoded.offset()).isEqualTo(3);
        assertThat(decoded.epoch()).isEqualTo("ep");
        assertThat(decoded.prevSeq()).isEqualTo(7);
        assertThat(decoded.metaExpiresAt()).isEqualTo(5);
        assertThat(decoded.info()).isEqualTo(BOB);
        assertThat(decoded.publication().data()).isEqualTo(bytes("data"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
