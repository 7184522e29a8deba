package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.IdRange;
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
                false,
                null,
                null);
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
                false,
                null,
                null);
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
                false,
                null,
                null);
        config(spec);
        Path etc = base.resolve("instances/0123456789ab/etc");
        assertThat(etc.resolve("hostname")).hasContent("web");
        assertThat(Files.readString(etc.resolve("hosts")))
                .contains("127.0.0.1\tlocalhost")
                .contains("127.0.1.1\tweb");
        assertThat(Files.readString(etc.resolve("resolv.conf"))).doesNotContain("nameserver");
    }

    static ContainerSpec usernsSpec(List<ContainerMount> mounts) {
        return new ContainerSpec(
                "app:1",
                "sha256:" + "a".repeat(64),
                null,
                List.of(),
                List.of(),
                null,
                "0",
                null,
                false,
                List.of(),
                mounts,
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
                "copy",
                false,
                "auto",
                new IdRange(1_000_000_000L, 65_536));
    }

    /** A plain container's config, with its own user namespace over {@code range} or (null) the host's. */
    private static ContainerConfig usernsConfig(IdRange range) {
        return new ContainerConfig(
                "web",
                List.of("/bin/true"),
                List.of(),
                "/",
                0,
                0,
                List.of(),
                "/rootfs",
                false,
                List.of(),
                false,
                0,
                0,
                100_000,
                0,
                "/vessel/vessel-0123456789ab",
                1024,
                false,
                range);
    }

    @Test
    void aContainerWithItsOwnUserNamespaceMapsItsIdsOntoItsRange() throws Exception {
        var config = usernsConfig(new IdRange(1_000_065_536L, 65_536));
        var doc = dev.vessel.host.Json.tree(dev.vessel.host.Json.write(config.toJson()));
        var linux = doc.path("linux");
        assertThat(linux.path("namespaces").findValuesAsText("type"))
                .containsExactly("pid", "ipc", "uts", "mount", "network", "cgroup", "user");
        for (String m : List.of("uidMappings", "gidMappings")) {
            assertThat(linux.path(m).toString())
                    .isEqualTo("[{\"containerID\":0,\"hostID\":1000065536,\"size\":65536}]");
        }
        // the process's ids are the container's own, not the host's
        assertThat(doc.path("process").path("user").toString()).isEqualTo("{\"uid\":0,\"gid\":0}");

        var host = usernsConfig(null);
        var hostDoc = dev.vessel.host.Json.tree(dev.vessel.host.Json.write(host.toJson()));
        assertThat(hostDoc.path("linux").path("namespaces").findValuesAsText("type"))
                .doesNotContain("user");
        assertThat(hostDoc.path("linux").has("uidMappings")).isFalse();
    }

    @Test
    void onTheHostNetworkAUsernsContainerGetsTheHostsSysBoundReadOnly() {
        var sys = ContainerConfig.baseMounts(true).getLast();
        assertThat(sys)
                .isEqualTo(new dev.vessel.oci.OciSpec.Mount(
                        "/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        assertThat(ContainerConfig.baseMounts(false).getLast().type()).isEqualTo("sysfs");
    }

    @Test
    void aUsernsContainersBundleAndTheFilesTheDaemonMakesForItBelongToItsRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Files.createDirectories(base.resolve("volumes/old"));
        var spec = usernsSpec(List.of(
                new ContainerMount(ContainerMount.Type.VOLUME, "fresh", "/fresh", false),
                new ContainerMount(ContainerMount.Type.VOLUME, "old", "/old", false)));
        Golden.assertMatches("container-userns.json", config(spec));
        Path etc = base.resolve("instances/0123456789ab/etc");
        for (String f : List.of("hostname", "hosts", "resolv.conf")) {
            assertThat(Files.getAttribute(etc.resolve(f), "unix:uid")).as(f).isEqualTo(1_000_000_000);
            assertThat(Files.getAttribute(etc.resolve(f), "unix:gid")).as(f).isEqualTo(1_000_000_000);
        }
        assertThat(Files.getAttribute(base.resolve("volumes/fresh"), "unix:uid"))
                .isEqualTo(1_000_000_000);
        assertThat(Files.getAttribute(base.resolve("volumes/old"), "unix:uid"))
                .as("a volume that was there is left as it is")
                .isEqualTo(0);
    }

    @Test
    void aUserOutsideTheContainersIdsIsRefused() throws Exception {
        var spec = usernsSpec(List.of());
        var withUser = new ContainerSpec(
                spec.image(),
                spec.imageId(),
                null,
                List.of(),
                List.of(),
                null,
                "70000",
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
                "copy",
                false,
                "auto",
                spec.usernsRange());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(withUser))
                .hasMessageContaining("id 70000 is outside the 65536 ids of the container's user namespace");
    }
}
