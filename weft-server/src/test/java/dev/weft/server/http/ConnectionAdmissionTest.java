package dev.weft.server.http;

import dev.weft.core.ClientOptions;
import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionAdmissionTest {

    private static String key(String address) throws Exception {
        return ConnectionAdmission.addressKey(new InetSocketAddress(InetAddress.getByName(address), 1234));
    }

    @Test
    void ipv4AddressesAreLimitedOneByOne() throws Exception {
        assertThat(key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(key("::ffff:203.0.113.7")).as("IPv4-mapped IPv6 is the IPv4 address").isEqualTo("203.0.113.7");
    }

    @Test
    void ipv6AddressesAreLimitedPerSlash64() throws Exception {
        // One subscriber usually holds a whole /64: rotating the interface bits must not escape the limit.
        assertThat(key("2001:db8:1:2:aaaa::1")).isEqualTo(key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(key("2001:db8:1:3::1")).isNotEqualTo(key("2001:db8:1:2::1"));
    }

    /** An endpoint that records how many connections the node counts while it answers. */
    private static HttpEndpoint guarded(ConnectionAdmission admission, List<Integer> seen,
                                        Consumer<HttpExchange> answer) {
        return admission.guard(new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET);
            }

            @Override
            public void handle(HttpExchange exchange) {
                seen.add(admission.openConnections());
                answer.accept(exchange);
            }
        });
    }

    private static HttpExchange exchange(EmbeddedChannel channel) {
        return new HttpExchange(channel.pipeline().firstContext(),
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/connection/x"), () -> { });
    }

    @Test
    void anAttemptHoldsItsSlotBeforeTheEndpointAnswers() {
        // A client that has read its 101 may connect again at once, through another event loop: the first
        // connection must be counted before its answer goes out, or the limit can be passed under load.
        ConnectionAdmission admission = new ConnectionAdmission(
                ClientOptions.builder().connectionLimit(1).ipConnectionRateLimit(0).build(), new RefusalCounters());
        List<Integer> seen = new ArrayList<>();
        EmbeddedChannel streamed = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        guarded(admission, seen, HttpExchange::startStream).handle(exchange(streamed));
        assertThat(seen).containsExactly(1);
        assertThat(admission.openConnections()).isEqualTo(1);

        EmbeddedChannel refused = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        guarded(admission, seen, HttpExchange::startStream).handle(exchange(refused));
        assertThat(seen).as("the endpoint never saw the attempt over the limit").containsExactly(1);

        streamed.close();
        assertThat(admission.openConnections()).as("the slot is free once the stream closes").isZero();
        EmbeddedChannel answered = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        guarded(admission, seen, e -> e.refuse(HttpResponseStatus.UNAUTHORIZED, "no token")).handle(exchange(answered));
        assertThat(seen).containsExactly(1, 1);
        assertThat(admission.openConnections()).as("an attempt answered without a connection gives its slot back")
                .isZero();
    }
}
