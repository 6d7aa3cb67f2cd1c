package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolCodecsTest {

    @ParameterizedTest
    @EnumSource(ProtocolType.class)
    void returnsOneSharedCodecOfTheRequestedType(ProtocolType type) {
        ProtocolCodec codec = ProtocolCodecs.of(type);

        assertThat(codec.type()).isEqualTo(type);
        assertThat(ProtocolCodecs.of(type)).isSameAs(codec);
    }
}
