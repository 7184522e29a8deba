package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImageBuilderTest {
    @TempDir
    Path dir;

    @Test
    void mke2fsCopiesTheStagedTreeIntoALabelledExt4WithoutMounting() {
        assertThat(TinyImageBuilder.mke2fsArgs(
                        "/usr/sbin/mke2fs", Path.of("/b/rootfs"), Path.of("/b/root.raw"), "512M"))
                .containsExactly(
                        "/usr/sbin/mke2fs",
                        "-q",
                        "-F",
                        "-t",
                        "ext4",
                        "-d",
                        "/b/rootfs",
                        "-L",
                        "vessel-root",
                        "-m",
                        "0",
                        "-E",
                        "lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0",
                        "/b/root.raw",
                        "512M");
    }

    @Test
    void theResourcesHashIsStable() {
        assertThat(TinyImageBuilder.resourcesHash()).hasSize(64).isEqualTo(TinyImageBuilder.resourcesHash());
    }

    @Test
    void withoutAptListsTheBuildFailsWithAdviceAndLeavesNothingNextToTheTarget() throws Exception {
        var runner = new ScriptedRunner(argv -> ScriptedRunner.failed(argv, 100, "E: No packages found"));
        var builder = new TinyImageBuilder(runner, dir.resolve("debs"));
        Path target = dir.resolve("images/tiny");
        var progress = new ArrayList<Double>();
        assertThatThrownBy(() -> builder.build(target, (f, m) -> progress.add(f)))
                .hasMessageContaining("apt-get update");
        assertThat(target).doesNotExist();
        try (var siblings = Files.list(target.getParent())) {
            assertThat(siblings).allMatch(p -> p.getFileName().toString().equals(".tiny.lock"));
        }
        assertThat(progress).containsExactly(0.0);
    }

    @Test
    void aCompleteExistingImageIsReusedWhenAptCannotResolvePackages() throws Exception {
        Path target = dir.resolve("tiny");
        Files.createDirectories(target);
        for (String f : new String[] {"vmlinuz", "initrd.img", "disk-initrd.img", "root.qcow2"}) {
            Files.writeString(target.resolve(f), f);
        }
        var info = new BuildInfo(
                TinyImageBuilder.resourcesHash(),
                "linux-image-6.1.0-56-cloud-amd64",
                "6.1.192-2",
                "6.1.0-56-cloud-amd64",
                "1:1.35.0-4",
                java.util.List.of(),
                GuestTrees.CMDLINE,
                GuestTrees.READY_MARKER,
                java.time.Instant.parse("2026-01-01T00:00:00Z"));
        Files.writeString(target.resolve("build.json"), dev.vessel.host.Json.write(info));
        var runner = new ScriptedRunner(argv -> ScriptedRunner.failed(argv, 100, "E: No packages found"));

        TinyImage image = new TinyImageBuilder(runner, dir.resolve("debs")).build(target, BuildProgress.NONE);

        assertThat(image.kernel()).isEqualTo(target.resolve("vmlinuz"));
        assertThat(image.cmdline()).isEqualTo("console=ttyS0 panic=-1 quiet");
        assertThat(image.readyMarker()).isEqualTo("VESSEL-READY");
        assertThat(TinyImageBuilder.existing(target)).contains(image);
    }

    @Test
    void anIncompleteImageIsNotOffered() throws Exception {
        Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(dir.resolve("tiny/vmlinuz"), "k");
        assertThat(TinyImageBuilder.existing(dir.resolve("tiny"))).isEmpty();
    }
}
