package dev.weft.core.limits;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Refusal lines per client address: a burst, then quiet; new ports of the same host earn nothing more. */
class AddressLogLimitTest {
    @Test
    void aBurstPerHostWhateverThePort() {
        AddressLogLimit limit = new AddressLogLimit();
        long admitted = IntStream.range(0, 50).filter(i -> limit.admit("10.0.0.1:" + (40_000 + i))).count();
        assertThat(admitted).isEqualTo(5);
        assertThat(limit.admit("10.0.0.2:40000")).as("another client still gets its lines").isTrue();
        assertThat(limit.admit("[2001:db8::1]:443")).isTrue();
    }

    @Test
    void hostOfEveryAddressForm() {
        assertThat(AddressLogLimit.host("10.0.0.1:5000")).isEqualTo("10.0.0.1");
        assertThat(AddressLogLimit.host("[2001:db8::1]:443")).isEqualTo("[2001:db8::1]");
        assertThat(AddressLogLimit.host("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(AddressLogLimit.host("localhost")).isEqualTo("localhost");
        assertThat(AddressLogLimit.host(null)).isEmpty();
    }
}
