package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianPackagesTest {
    @TempDir
    Path cache;

    @Test
    void theKernelPackageIsReadFromTheMetapackagesDependency() {
        assertThat(DebianPackages.parseKernelDependency(ScriptedRunner.sample("apt-cache-depends.txt")))
                .contains("linux-image-6.1.0-56-cloud-amd64");
    }

    @Test
    void dependenciesThatAreNotACloudKernelAreIgnored() {
        String out = """
                linux-image-cloud-amd64
                  Depends: initramfs-tools
                 |Depends: linux-image-6.1.0-99-cloud-amd64
                  Recommends: firmware-linux-free
                """;
        assertThat(DebianPackages.parseKernelDependency(out)).contains("linux-image-6.1.0-99-cloud-amd64");
        assertThat(DebianPackages.parseKernelDependency("linux-image-cloud-amd64\n"))
                .isEmpty();
    }

    @Test
    void theCandidateVersionKeepsItsEpoch() {
        String policy = ScriptedRunner.sample("apt-cache-policy.txt");
        String busybox = policy.substring(policy.indexOf("busybox-static:"));
        assertThat(DebianPackages.parseCandidate(policy)).contains("6.1.192-2");
        assertThat(DebianPackages.parseCandidate(busybox)).contains("1:1.35.0-4+deb12u1+b1");
    }

    @Test
    void aPackageWithoutCandidateHasNoVersion() {
        assertThat(DebianPackages.parseCandidate("foo:\n  Installed: (none)\n  Candidate: (none)\n"))
                .isEmpty();
        assertThat(DebianPackages.parseCandidate("")).isEmpty();
    }

    @Test
    void missingAptListsGiveAnErrorThatSaysToRunAptGetUpdate() {
        var runner = new ScriptedRunner(argv -> ScriptedRunner.failed(argv, 100, "E: No packages found"));
        var packages = new DebianPackages(runner, cache);
        assertThatThrownBy(packages::kernelPackage)
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("apt-get update")
                .hasMessageContaining("No packages found")
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.UNAVAILABLE));
    }

    @Test
    void anUnknownPackageGivesTheSameAdvice() {
        // apt-cache policy prints nothing and exits 0 for a name it does not know.
        var runner = new ScriptedRunner(argv -> ScriptedRunner.ok(argv, ""));
        assertThatThrownBy(() -> new DebianPackages(runner, cache).candidate("busybox-static"))
                .hasMessageContaining("busybox-static")
                .hasMessageContaining("apt-get update");
    }

    @Test
    void aFailedDownloadSaysWhatToRunAndLeavesNothingInTheCache() throws Exception {
        var runner =
                new ScriptedRunner(argv -> ScriptedRunner.failed(argv, 100, "E: Failed to fetch ... 404 Not Found"));
        var packages = new DebianPackages(runner, cache);
        assertThatThrownBy(() -> packages.fetch(new DebianPackages.Deb("busybox-static", "1:1.35.0-4")))
                .hasMessageContaining("apt-get update")
                .hasMessageContaining("404 Not Found");
        try (var files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDownloadAsksAptForTheExactVersion() {
        var runner = new ScriptedRunner(argv -> ScriptedRunner.failed(argv, 100, "offline"));
        var deb = new DebianPackages.Deb("busybox-static", "1:1.35.0-4");
        assertThatThrownBy(() -> new DebianPackages(runner, cache).fetch(deb)).isInstanceOf(VesselException.class);
        assertThat(runner.calls.getFirst()).startsWith("apt-get").endsWith("download", "busybox-static=1:1.35.0-4");
    }

    @Test
    void aDebAlreadyInTheCacheIsReusedWithoutApt() throws Exception {
        Path cached = Files.writeString(cache.resolve("busybox-static_1%3a1.35.0-4_amd64.deb"), "deb");
        Files.writeString(cache.resolve("busybox-static_1%3a1.34.0-1_amd64.deb"), "older");
        var runner = new ScriptedRunner(argv -> {
            throw new AssertionError("apt must not run: " + argv);
        });
        assertThat(new DebianPackages(runner, cache).fetch(new DebianPackages.Deb("busybox-static", "1:1.35.0-4")))
                .isEqualTo(cached);
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void unpackingRunsDpkgDebExtract() {
        var runner = new ScriptedRunner(argv -> ScriptedRunner.ok(argv, ""));
        new DebianPackages(runner, cache).unpack(cache.resolve("k.deb"), cache.resolve("out"));
        assertThat(runner.calls)
                .containsExactly(List.of(
                        "dpkg-deb",
                        "-x",
                        cache.resolve("k.deb").toString(),
                        cache.resolve("out").toString()));
    }
}
