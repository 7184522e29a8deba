package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.TmpfsMount;
import dev.vessel.core.testing.Golden;
import dev.vessel.image.oci.ImageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated config.json, byte for byte, for a plain container and for one that uses every setting. */
class ContainerBundleTest {
    static final ImageConfig IMAGE = new ImageConfig(
            "linux",
            "amd64",
            List.of("PATH=/bin", "LANG=C"),
            List.of("/bin/app"),
            List.of("--serve"),
            "/srv",
            "app",
            "SIGQUIT",
            List.of(),
            Map.of(),
            List.of(),
            null,
            List.of());

    @TempDir
    Path base;

    ContainerPaths paths() throws Exception {
        var p = new ContainerPaths(base.resolve("instances/0123456789ab"), base.resolve("run/ctr/0123456789ab"));
        Files.createDirectories(p.rootfs().resolve("etc"));
        Files.writeString(
                p.rootfs().resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(p.rootfs().resolve("etc/group"), "app:x:1000:\nextra:x:2000:app\n");
        return p;
    }

    static Instance instance(ContainerSpec spec) {
        return new Instance(
                "0123456789ab",
                "web",
                InstanceKind.CONTAINER,
                spec,
                new InstanceState.Created(Instant.EPOCH),
                null,
                Instant.EPOCH);
    }

    String config(ContainerSpec spec) throws Exception {
        var p = paths();
        var volumes = new DirectoryVolumes(base.resolve("volumes"));
        ContainerBundle.prepare(instance(spec), IMAGE, p, Path.of("/var/lib/vessel/bin/vessel-init"), volumes, 20000);
        return Files.readString(p.bundle().resolve("config.json")).replace(base.toString(), "/var/lib/vessel");
    }

    @Test
    void aContainerWithTheImageDefaultsRunsTheImageCommandUnderVesselInitAsTheImageUser() throws Exception {
        var spec = new ContainerSpec(
                "app:1",
                "sha256:" + "a".repeat(64),
                null,
                List.of(),
                List.of(),
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                0,
                0,
                0,
                RestartPolicy.NO,
                null,
                false,
                false,
                false,
                10,
                null,
                "overlay",
                false);
        Golden.assertMatches("container-defaults.json", config(spec));
    }

    @Test
    void everySettingEndsUpInTheRuntimeConfig() throws Exception {
        var spec = new ContainerSpec(
                "app:1",
                "sha256:" + "a".repeat(64),
                List.of("/bin/sh", "-c"),
                List.of("echo hi"),
                List.of("LANG=de_DE", "X=1"),
                "/work",
                "0:0",
                "box",
                true,
                List.of(new TmpfsMount("/run", List.of("size=16m"))),
                List.of(
                        new ContainerMount(ContainerMount.Type.BIND, "/srv/data", "/data", true),
                        new ContainerMount(ContainerMount.Type.VOLUME, "cache", "/cache", false)),
                256L << 20,
                1.5,
                100,
                RestartPolicy.parse("on-failure:3"),
                "host",
                true,
                true,
                false,
                30,
                "USR1",
                "copy",
                false);
        Golden.assertMatches("container-everything.json", config(spec));
        assertThat(base.resolve("volumes/cache")).isDirectory();
    }

    @Test
    void theGeneratedEtcFilesNameTheContainer() throws Exception {
        var spec = new ContainerSpec(
                "app:1",
                "sha256:" + "a".repeat(64),
                null,
                List.of(),
                List.of(),
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                0,
                0,
                0,
                RestartPolicy.NO,
                "none",
                false,
                false,
                false,
                10,
                null,
                "overlay",
                false);
        config(spec);
        Path etc = base.resolve("instances/0123456789ab/etc");
        assertThat(etc.resolve("hostname")).hasContent("web");
        assertThat(Files.readString(etc.resolve("hosts")))
                .contains("127.0.0.1\tlocalhost")
                .contains("127.0.1.1\tweb");
        assertThat(Files.readString(etc.resolve("resolv.conf"))).doesNotContain("nameserver");
    }
}
