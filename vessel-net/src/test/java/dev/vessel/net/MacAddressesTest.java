package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MacAddressesTest {
    @Test
    void generatedMacsCarryVesselsLocallyAdministeredUnicastPrefix() {
        MacAddress mac = MacAddresses.generate(new LeaseOwner("abc", 0), Set.of());
        assertThat(mac.value()).startsWith("0a:56:65:").hasSize(17);
        int first = HexFormat.fromHexDigits(mac.value(), 0, 2);
        assertThat(first & 0b10).as("locally administered").isEqualTo(0b10);
        assertThat(first & 0b01).as("multicast").isZero();
        assertThat(MacAddresses.isVessel(mac)).isTrue();
    }

    @Test
    void theSameOwnerAlwaysGetsTheSameMac() {
        assertThat(MacAddresses.generate(new LeaseOwner("abc", 1), Set.of()))
                .isEqualTo(MacAddresses.generate(new LeaseOwner("abc", 1), Set.of()))
                .isNotEqualTo(MacAddresses.generate(new LeaseOwner("abc", 0), Set.of()));
    }

    @Test
    void aTakenMacIsSkipped() {
        var owner = new LeaseOwner("abc", 0);
        MacAddress first = MacAddresses.generate(owner, Set.of());
        MacAddress second = MacAddresses.generate(owner, Set.of(first));
        assertThat(second).isNotEqualTo(first);
        assertThat(MacAddresses.generate(owner, Set.of(first))).isEqualTo(second);
    }

    @Test
    void manyOwnersGetDistinctMacsAgainstTheGrowingSet() {
        Set<MacAddress> taken = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            assertThat(taken.add(MacAddresses.generate(new LeaseOwner("i" + i, 0), taken)))
                    .isTrue();
        }
    }

    @Test
    void userMacsAreNormalisedAndMulticastOnesRefused() {
        assertThat(MacAddress.parse("mac", "0A:56:65:AB:CD:EF").value()).isEqualTo("0a:56:65:ab:cd:ef");
        assertThatThrownBy(() -> MacAddress.parse("mac", "01:00:5e:00:00:01"))
                .hasMessage("mac: '01:00:5e:00:00:01' is a multicast address");
        assertThatThrownBy(() -> MacAddress.parse("mac", "0a-56-65-00-00-01"))
                .hasMessageStartingWith("mac: '0a-56-65-00-00-01' is not a MAC address");
        assertThatThrownBy(() -> MacAddress.parse("mac", "00:00:00:00:00:00")).hasMessageContaining("zero address");
    }
}
