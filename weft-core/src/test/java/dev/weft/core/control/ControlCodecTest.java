package dev.weft.core.control;

import dev.weft.core.channel.ChannelOptions;
import dev.weft.protocol.model.Disconnect;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlCodecTest {

    private static ControlMessage roundTrip(ControlMessage m) {
        return ControlCodec.decode(ControlCodec.encode(m));
    }

    @Test
    void aSubscribeKeepsItsTargetOptionsAndBytes() {
        ChannelOptions options = ChannelOptions.builder().presence(true).joinLeave(true).historySize(10)
                .historyTtl(Duration.ofSeconds(90)).build();
        byte[] info = {0, 1, (byte) 0xFF, '"'};
        byte[] data = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        ControlMessage sent = ControlMessage.control(ControlMessage.OP_SUBSCRIBE, "alice", "c1", Set.of("c2"))
                .withArguments("news", options, info, data).withRequestId(42);

        ControlMessage got = roundTrip(sent);

        assertThat(got.type()).isEqualTo(ControlMessage.CONTROL);
        assertThat(got.v()).isEqualTo(ControlMessage.VERSION);
        assertThat(got.requestId()).isEqualTo(42);
        assertThat(got.user()).isEqualTo("alice");
        assertThat(got.client()).isEqualTo("c1");
        assertThat(got.except()).containsExactly("c2");
        assertThat(got.channel()).isEqualTo("news");
        assertThat(got.options()).isEqualTo(options);
        assertThat(got.info()).isEqualTo(info);
        assertThat(got.data()).isEqualTo(data);
    }

    @Test
    void otherMessagesKeepTheirFields() {
        Disconnect bye = new Disconnect(3503, "force disconnect", false);
        assertThat(roundTrip(ControlMessage.control(ControlMessage.OP_DISCONNECT, "u", "", Set.of())
                .withDisconnect(bye)).disconnect()).isEqualTo(bye);
        ControlMessage refresh = roundTrip(ControlMessage.control(ControlMessage.OP_REFRESH, "u", "", Set.of())
                .withExpiry(1_700_000_000L, true));
        assertThat(refresh.expireAt()).isEqualTo(1_700_000_000L);
        assertThat(refresh.expired()).isTrue();
        NodeInfo node = new NodeInfo("id", "name", "1.0", 1, 2, 3, 4, 5);
        assertThat(roundTrip(ControlMessage.heartbeat(node)).node()).isEqualTo(node);
        assertThat(roundTrip(ControlMessage.revokeToken("jti", 9)).jti()).isEqualTo("jti");
        assertThat(roundTrip(ControlMessage.invalidateUser("u", 7)).issuedBefore()).isEqualTo(7);
        assertThat(roundTrip(ControlMessage.emulationReply(3, "DELIVERED")).outcome()).isEqualTo("DELIVERED");
    }

    @Test
    void fieldsAndTypesOfANewerVersionAreReadWithoutFailing() {
        ControlMessage m = ControlCodec.decode("{\"v\":2,\"type\":\"rebalance\",\"shiny\":[1,2]}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(m.type()).isEqualTo("rebalance");
        assertThat(m.v()).isEqualTo(2);
    }

    @Test
    void bytesThatAreNoMessageAreRefused() {
        assertThatThrownBy(() -> ControlCodec.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
