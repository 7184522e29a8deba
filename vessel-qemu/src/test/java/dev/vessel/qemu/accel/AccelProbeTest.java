package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.AccelMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccelProbeTest {
    static final String BOOTS = "SeaBIOS\nVESSEL-KVM-PROBE-OK\n";
    static final String INTERNAL_ERROR = "KVM internal error. Suberror: 1\nemulation failure\n";

    @TempDir
    Path dir;

    Path cache;
    Path kernel;
    Path qemu;
    Path kvm;
    Path osRelease;
    final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    final List<Path> boots = new ArrayList<>();

    @BeforeEach
    void host() throws Exception {
        cache = dir.resolve("state/accel-probe.json");
        kernel = Files.writeString(dir.resolve("vmlinuz"), "bzImage");
        qemu = Files.writeString(dir.resolve("qemu-system-x86_64"), "qemu 7.2");
        kvm = Files.writeString(dir.resolve("kvm"), ""); // a regular file opens read-write like a working /dev/kvm
        osRelease = Files.writeString(dir.resolve("osrelease"), "6.1.0-56-amd64\n");
    }

    AccelProbe probe(String console, String errors, int exit) {
        ProbeBoot fake = (q, k, underKvm, timeout) -> {
            boots.add(k);
            // TCG always runs the probe, in more time than a working KVM takes
            return underKvm
                    ? new ProbeBoot.Outcome(exit, false, console, errors, Duration.ofMillis(80))
                    : new ProbeBoot.Outcome(ProbeKernel.PASSED, false, BOOTS, "", Duration.ofMillis(220));
        };
        return new AccelProbe(cache, kernel, qemu, kvm, osRelease, fake, clock);
    }

    @Test
    void tcgIsGrantedWithoutProbing() {
        var d = probe(BOOTS, "", 33).decide(AccelMode.TCG);
        assertThat(d.accel()).isEqualTo("tcg");
        assertThat(d.reason()).isEqualTo("requested");
        assertThat(boots).isEmpty();
    }

    @Test
    void aKernelThatBootsUnderKvmMakesAutoChooseKvmAndTheVerdictIsCached() throws Exception {
        var d = probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        assertThat(d.accel()).isEqualTo("kvm");
        assertThat(d.reason()).startsWith("KVM works");
        assertThat(d.probedAt()).isEqualTo(clock.instant());
        assertThat(d.hostKey()).isEqualTo(AccelProbe.hostKey(qemu, osRelease)).contains("kernel=6.1.0-56-amd64");
        assertThat(boots).containsExactly(kernel, kernel); // under KVM, then under TCG to compare
        assertThat(Files.readString(cache)).contains("\"accel\" : \"kvm\"");
    }

    @Test
    void aCachedVerdictForTheSameHostIsUsedWithoutBooting() {
        var first = probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        boots.clear();
        var second = probe(INTERNAL_ERROR, "", 1).decide(AccelMode.KVM);
        assertThat(second).isEqualTo(first);
        assertThat(boots).isEmpty();
    }

    @Test
    void anUpgradedQemuBinaryMakesItProbeAgain() throws Exception {
        probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        Files.writeString(qemu, "qemu 8.0, a bigger binary");
        Files.setLastModifiedTime(qemu, FileTime.from(Instant.parse("2026-03-02T00:00:00Z")));
        var d = probe("", INTERNAL_ERROR, 1).decide(AccelMode.AUTO);
        assertThat(boots).hasSize(3);
        assertThat(d.accel()).isEqualTo("tcg");
    }

    @Test
    void aNewHostKernelMakesItProbeAgain() throws Exception {
        probe("", INTERNAL_ERROR, 1).decide(AccelMode.AUTO);
        Files.writeString(osRelease, "6.12.0-1-amd64\n");
        var d = probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        assertThat(boots).hasSize(3);
        assertThat(d.accel()).isEqualTo("kvm");
        assertThat(d.hostKey()).contains("kernel=6.12.0-1-amd64");
    }

    @Test
    void brokenKvmMakesAutoFallBackToTcgAndSaysWhy() {
        var d = probe("", INTERNAL_ERROR, 1).decide(AccelMode.AUTO);
        assertThat(d.accel()).isEqualTo("tcg");
        assertThat(d.reason())
                .startsWith("KVM does not work on this host")
                .contains("KVM internal error. Suberror: 1")
                .endsWith("; using TCG");
    }

    @Test
    void kvmForcedOnAHostWhereTheProbeFailsIsAnInvalidStateQuotingTheProbe() {
        assertThatThrownBy(() -> probe("", INTERNAL_ERROR, 1).decide(AccelMode.KVM))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_STATE))
                .hasMessageStartingWith("accel kvm was requested, but KVM does not work on this host")
                .hasMessageContaining("KVM internal error. Suberror: 1")
                .hasMessageContaining(cache.toString());
    }

    @Test
    void kvmForcedOnAHostWhereTheProbeWorksIsGranted() {
        assertThat(probe(BOOTS, "", 33).decide(AccelMode.KVM).accel()).isEqualTo("kvm");
    }

    @Test
    void withoutDevKvmAutoIsTcgAndNothingIsBooted() throws Exception {
        Files.delete(kvm);
        var d = probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        assertThat(d.accel()).isEqualTo("tcg");
        assertThat(d.reason()).startsWith("KVM is unavailable: " + kvm + " does not exist");
        assertThat(boots).isEmpty();
        assertThat(cache).doesNotExist();
    }

    @Test
    void withoutDevKvmForcedKvmIsAnInvalidState() throws Exception {
        Files.delete(kvm);
        assertThatThrownBy(() -> probe(BOOTS, "", 33).decide(AccelMode.KVM))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_STATE))
                .hasMessageContaining("accel kvm was requested but " + kvm + " does not exist");
    }

    @Test
    void aDevKvmThatCannotBeOpenedReadWriteCountsAsMissing() throws Exception {
        Files.delete(kvm);
        Files.createDirectory(kvm); // opening a directory for writing fails like a device without permission
        var d = probe(BOOTS, "", 33).decide(AccelMode.AUTO);
        assertThat(d.reason()).contains("cannot open " + kvm + " read-write");
        assertThat(boots).isEmpty();
    }

    @Test
    void aCorruptCacheIsProbedAgainAndRewritten() throws Exception {
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "{not json");
        assertThat(probe(BOOTS, "", 33).decide(AccelMode.AUTO).accel()).isEqualTo("kvm");
        assertThat(boots).hasSize(2);
        assertThat(Files.readString(cache)).contains("\"hostKey\"");
    }

    @Test
    void theProbeKernelShipsWithVesselSoNoImageIsNeeded() throws Exception {
        Path k = ProbeKernel.materialize(dir.resolve("run"));
        byte[] elf = Files.readAllBytes(k);
        assertThat(elf).startsWith(0x7f, 'E', 'L', 'F');
        // the multiboot header QEMU looks for in the first 8 KiB
        assertThat(java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(elf, 8192)))
                .contains("02b0ad1b");
        long mtime = Files.getLastModifiedTime(k).toMillis();
        Thread.sleep(20);
        assertThat(ProbeKernel.materialize(dir.resolve("run"))).isEqualTo(k);
        assertThat(Files.getLastModifiedTime(k).toMillis())
                .as("the same bytes are not rewritten")
                .isEqualTo(mtime);
    }
}
