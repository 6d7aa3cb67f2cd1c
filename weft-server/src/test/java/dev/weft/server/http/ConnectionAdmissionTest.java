package dev.weft.server.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

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
}
