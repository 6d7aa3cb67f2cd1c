package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.EmulationRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.SubscribeRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code /emulation} request envelope against bytes the real centrifuge-js 5.8.0 produced:
 * <pre>{@code
 * import { Centrifuge } from 'centrifuge/build/protobuf';   // and 'centrifuge' for JSON
 * const c = new Centrifuge('ws://127.0.0.1:1/connection/websocket', {});
 * const data = c._codec.encodeCommands([{id: 2, subscribe: {channel: 'news'}},
 *     {id: 3, publish: {channel: 'news', data: new TextEncoder().encode('{"a":1}')}}]);
 * c._codec.encodeEmulationRequest({session: 's-1', node: 'n-1', data});            // Protobuf body
 * JSON.stringify({session: 's-1', node: 'n-1', data: jsonCodec.encodeCommands(…)}); // JSON body
 * }</pre>
 */
class EmulationRequestCodecTest {
    private static final String SDK_PROTOBUF =
            "0a036e2d311203732d311a1f0a08022a060a046e6577731308033a0f0a046e65777312077b2261223a317d";
    private static final String SDK_JSON = "{\"session\":\"s-1\",\"node\":\"n-1\",\"data\":"
            + "\"{\\\"id\\\":2,\\\"subscribe\\\":{\\\"channel\\\":\\\"news\\\"}}\\n"
            + "{\\\"id\\\":3,\\\"publish\\\":{\\\"channel\\\":\\\"news\\\",\\\"data\\\":{\\\"a\\\":1}}}\"}";

    @Example
    void decodesTheSdksProtobufRequestAndItsCommands() throws Exception {
        EmulationRequest request = EmulationRequestCodec.decode(ProtocolType.PROTOBUF,
                HexFormat.of().parseHex(SDK_PROTOBUF));
        assertThat(request.node()).isEqualTo("n-1");
        assertThat(request.session()).isEqualTo("s-1");
        assertCommands(ProtocolCodecs.of(ProtocolType.PROTOBUF).decodeCommands(request.data()));
    }

    @Example
    void decodesTheSdksJsonRequestAndItsCommands() throws Exception {
        EmulationRequest request = EmulationRequestCodec.decode(ProtocolType.JSON,
                SDK_JSON.getBytes(StandardCharsets.UTF_8));
        assertThat(request.node()).isEqualTo("n-1");
        assertThat(request.session()).isEqualTo("s-1");
        assertCommands(ProtocolCodecs.of(ProtocolType.JSON).decodeCommands(request.data()));
    }

    private static void assertCommands(List<Command> commands) {
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).id()).isEqualTo(2);
        assertThat(((SubscribeRequest) commands.get(0).request()).channel()).isEqualTo("news");
        assertThat(commands.get(1).id()).isEqualTo(3);
        PublishRequest publish = (PublishRequest) commands.get(1).request();
        assertThat(publish.channel()).isEqualTo("news");
        assertThat(new String(publish.data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Example
    void encodesProtobufAsTheSdkDoes() {
        byte[] data = HexFormat.of().parseHex(SDK_PROTOBUF.substring(SDK_PROTOBUF.indexOf("1a1f") + 4));
        assertThat(HexFormat.of().formatHex(EmulationRequestCodec.encode(ProtocolType.PROTOBUF,
                new EmulationRequest("n-1", "s-1", data)))).isEqualTo(SDK_PROTOBUF);
    }

    @Property
    void requestsSurviveEncodeAndDecode(@ForAll("requests") EmulationRequest request,
                                        @ForAll ProtocolType format) throws Exception {
        EmulationRequest decoded = EmulationRequestCodec.decode(format, EmulationRequestCodec.encode(format, request));
        assertThat(decoded.node()).isEqualTo(request.node());
        assertThat(decoded.session()).isEqualTo(request.session());
        assertThat(decoded.data()).isEqualTo(request.data());
    }

    @Provide
    Arbitrary<EmulationRequest> requests() {
        Arbitrary<String> ids = Arbitraries.strings().ofMaxLength(40);
        // JSON carries the commands as text: any Unicode string (as UTF-8); Protobuf carries any bytes, but
        // the property runs both framings, so both get text here and bytes below.
        Arbitrary<byte[]> data = Arbitraries.strings().ofMaxLength(200)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(ids, ids, data).as(EmulationRequest::new);
    }

    @Property
    void protobufDataMayBeAnyBytes(@ForAll byte[] data) throws Exception {
        EmulationRequest request = new EmulationRequest("n", "s", data);
        assertThat(EmulationRequestCodec.decode(ProtocolType.PROTOBUF,
                EmulationRequestCodec.encode(ProtocolType.PROTOBUF, request)).data()).isEqualTo(data);
    }

    @Property
    void arbitraryBytesEitherDecodeOrFailCleanly(@ForAll byte[] body, @ForAll ProtocolType format) {
        try {
            EmulationRequestCodec.decode(format, body);
        } catch (ProtocolDecodeException e) {
            assertThat(e).hasMessageContaining("emulation request");
        }
    }

    @Example
    void refusesWhatIsNotAnEnvelope() {
        for (String body : List.of("", "[]", "\"x\"", "{\"session\":1}", "{\"data\":{\"id\":1}}", "{\"node\":\"n\"",
                "{} {}", "not json")) {
            assertThatThrownBy(() -> EmulationRequestCodec.decode(ProtocolType.JSON,
                    body.getBytes(StandardCharsets.UTF_8)))
                    .as(body).isInstanceOf(ProtocolDecodeException.class);
        }
        // field 1 (node) with varint wire type; a truncated length-delimited field
        for (String hex : List.of("0801", "0a05616263")) {
            assertThatThrownBy(() -> EmulationRequestCodec.decode(ProtocolType.PROTOBUF, HexFormat.of().parseHex(hex)))
                    .as(hex).isInstanceOf(ProtocolDecodeException.class);
        }
    }

    @Example
    void skipsUnknownFieldsAndTreatsNullAsAbsent() throws Exception {
        EmulationRequest request = EmulationRequestCodec.decode(ProtocolType.JSON,
                "{\"x\":{\"y\":[1,2]},\"node\":null,\"session\":\"s\",\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(request.node()).isEmpty();
        assertThat(request.session()).isEqualTo("s");
        assertThat(new String(request.data(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
