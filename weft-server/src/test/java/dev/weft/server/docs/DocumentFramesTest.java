package dev.weft.server.docs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentFramesTest {

    @Test
    void aRelayedPayloadIsFramedOnceForEveryPeerWithTheSameAddress() {
        byte[] update = new byte[3 << 20];
        byte[] first = DocumentFrames.relayed(new byte[]{2, 'a', 'b'}, DocumentFrames.SYNC, update);
        byte[] second = DocumentFrames.relayed(new byte[]{2, 'a', 'b'}, DocumentFrames.SYNC, update);

        assertThat(second).isSameAs(first);
        assertThat(first).isEqualTo(DocumentFrames.sync(new byte[]{2, 'a', 'b'}, DocumentFrames.SYNC_UPDATE, update));
    }

    @Test
    void anotherPayloadAddressOrTypeIsFramedAnew() {
        byte[] update = {0, 0};
        byte[] frame = DocumentFrames.relayed(new byte[0], DocumentFrames.SYNC, update);

        assertThat(DocumentFrames.relayed(new byte[0], DocumentFrames.SYNC, new byte[]{0, 0})).isNotSameAs(frame);
        assertThat(DocumentFrames.relayed(new byte[]{1, 'x'}, DocumentFrames.SYNC, update))
                .isEqualTo(DocumentFrames.sync(new byte[]{1, 'x'}, DocumentFrames.SYNC_UPDATE, update));
        assertThat(DocumentFrames.relayed(new byte[0], DocumentFrames.AWARENESS, update))
                .isEqualTo(DocumentFrames.awareness(new byte[0], update));
    }
}
