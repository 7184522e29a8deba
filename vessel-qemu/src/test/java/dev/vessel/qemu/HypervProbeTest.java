package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HypervProbeTest {
    @Test
    void aRefusedVpIndexTakesEverythingThatNeedsItAlongWithoutATry() {
        var tried = new ArrayList<List<String>>();
        var probe = new HypervProbe((kvm, flags) -> {
            tried.add(flags);
            return !flags.contains("hv_vpindex");
        });
        var r = probe.probe(false);
        assertThat(r.accepted()).isEqualTo(PlatformProfiles.HYPERV_TCG);
        assertThat(r.refused()).containsExactly("hv_vpindex", "hv_synic", "hv_stimer", "hv_ipi", "hv_tlbflush");
        // synic, stimer, ipi and tlbflush were never put to QEMU
        assertThat(tried).hasSize(HypervProbe.WANTED.size() - 4);
        // each try builds on what was accepted before it
        assertThat(tried.getLast()).startsWith(PlatformProfiles.HYPERV_TCG.toArray(String[]::new));
    }

    @Test
    void aHostThatTakesEverythingGetsEverythingAndIsAskedOncePerAccelerator() {
        int[] calls = {0};
        var probe = new HypervProbe((kvm, flags) -> {
            calls[0]++;
            return kvm;
        });
        assertThat(probe.probe(true).accepted()).isEqualTo(HypervProbe.WANTED);
        assertThat(probe.probe(true).refused()).isEmpty();
        int afterKvm = calls[0];
        assertThat(probe.probe(false).accepted()).isEmpty();
        probe.probe(false);
        probe.probe(true);
        assertThat(calls[0]).isEqualTo(afterKvm + 8); // 8 of TCG's 12 tried; the 4 dependents skipped; nothing again
    }
}
