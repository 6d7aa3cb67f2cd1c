package dev.weft.server.websocket;

import dev.weft.protocol.ProtocolType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of Centrifuge's handler_websocket.go. */
class ProtocolSelectionTest {

    @Test
    void protobufWhenQueryOrSubprotocolAsksForIt() {
        assertThat(WebSocketEndpoint.protocolType("protobuf", null, null)).isEqualTo(ProtocolType.PROTOBUF);
        assertThat(WebSocketEndpoint.protocolType(null, "protobuf", null)).isEqualTo(ProtocolType.PROTOBUF);
        assertThat(WebSocketEndpoint.protocolType(null, null, "centrifuge-protobuf")).isEqualTo(ProtocolType.PROTOBUF);
        assertThat(WebSocketEndpoint.protocolType("protobuf", null, "centrifuge-json")).isEqualTo(ProtocolType.PROTOBUF);
    }

    @Test
    void jsonOtherwise() {
        assertThat(WebSocketEndpoint.protocolType(null, null, null)).isEqualTo(ProtocolType.JSON);
        assertThat(WebSocketEndpoint.protocolType("json", "json", "centrifuge-json")).isEqualTo(ProtocolType.JSON);
        assertThat(WebSocketEndpoint.protocolType("PROTOBUF", null, null)).isEqualTo(ProtocolType.JSON);
    }
}
