package dev.vessel.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.container.UsernsRanges;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.VmUids;
import org.junit.jupiter.api.Test;

/** {@code --userns}: the two values it takes, the refusal of others, and ranges that never meet the VMs' uids. */
class UsernsOptionTest {
    @Test
    void hostIsTheDefaultAndAutoIsTheOtherValue() {
        assertThat(UsernsOption.parse(null)).isEqualTo("host");
        assertThat(UsernsOption.parse("")).isEqualTo("host");
        assertThat(UsernsOption.parse("host")).isEqualTo("host");
        assertThat(UsernsOption.parse("auto")).isEqualTo("auto");
    }

    @Test
    void anythingElseIsRefusedNamingTheAllowedValues() {
        for (String bad : new String[] {"foo", "keep-id", "auto:size=1000", "AUTO"}) {
            assertThatThrownBy(() -> UsernsOption.parse(bad))
                    .as(bad)
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("'" + bad + "' is not supported (allowed: host, auto)");
        }
    }

    @Test
    void containerRangesNeverOverlapTheVmUids() {
        long vmLast = (long) VmUids.FIRST + VmUids.COUNT - 1;
        assertThat(UsernsRanges.FIRST).isGreaterThan(vmLast);
    }
}
