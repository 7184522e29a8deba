package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.container.testing.TestImage;
import dev.vessel.core.driver.ContainerNetworking;
import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.driver.InstanceDriverContract;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import dev.vessel.image.OciImageStore;
import dev.vessel.oci.Cgroups;
import dev.vessel.oci.RuncRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The runc container driver passes the driver contract against real runc, overlayfs and a busybox image. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class RuncContainerDriverContractIT extends InstanceDriverContract {
    static Path base;
    static OciImageStore images;
    static String imageId;
    static ProcessWatcher watcher;
    static ContainerHost host;

    @BeforeAll
    static void hostParts() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "vc-");
        images = OciImageStore.open(base.resolve("oci"));
        imageId = images.importRootfs(TestImage.rootfsTarball(base.resolve("rootfs.tar.gz")), "test/busybox:1")
                .id()
                .toString();
        watcher = new ProcessWatcher();
        var proc = new ProcessRunner();
        var layout =
                new ContainerHostLayout(base.resolve("instances"), base.resolve("run/ctr"), base.resolve("volumes"));
        host = new ContainerHost(
                layout,
                "/usr/sbin/runc",
                base.resolve("run/runc"),
                images,
                new WritableLayer(images, proc, base),
                ContainerNetworking.NONE,
                new DirectoryVolumes(layout.volumesDir()),
                InitBinary.install(base.resolve("bin")),
                watcher,
                proc,
                false,
                new UsernsRanges(base.resolve("container-userns.json")));
    }

    @AfterAll
    static void clean() {
        var runc = new RuncRuntime("/usr/sbin/runc", base.resolve("run/runc"), new ProcessRunner());
        for (var c : runc.list()) {
            runc.delete(c.id(), true);
        }
        watcher.close();
        AtomicFiles.deleteTree(base);
    }

    @Override
    protected InstanceDriver newDriver() {
        return new RuncContainerDriver(host, events, Clock.systemUTC());
    }

    @Override
    protected Instance newInstance() {
        var r = ThreadLocalRandom.current();
        String id = HexFormat.of().formatHex(new byte[] {
            (byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt(), 3, 4
        });
        String rootfs = host.layer().create(host.layout().paths(id), imageId, false);
        var spec = new ContainerSpec(
                "test/busybox:1",
                imageId,
                null,
                List.of("sleep", "1000"),
                List.of(),
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                64L << 20,
                0.5,
                64,
                RestartPolicy.NO,
                "none",
                false,
                false,
                false,
                10,
                null,
                rootfs,
                false,
                null,
                null);
        return new Instance(
                id,
                "c" + id,
                InstanceKind.CONTAINER,
                spec,
                new InstanceState.Created(Instant.now()),
                null,
                Instant.now());
    }

    @Override
    protected boolean processAlive(long pid) {
        Path status = Path.of("/proc/" + pid + "/status");
        try {
            return Files.exists(status) && !Files.readString(status).contains("State:\tZ");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    protected void assertNothingLeft(Instance instance) {
        var paths = host.layout().paths(instance.id());
        assertThat(paths.stateDir()).doesNotExist();
        assertThat(paths.runDir()).doesNotExist();
        assertThat(WritableLayer.mounted(paths.rootfs())).isFalse();
        assertThat(host.runtime().state(ContainerHostLayout.containerId(instance.id())))
                .isEmpty();
        assertThat(Cgroups.host().exists(ContainerHostLayout.cgroupsPath(instance.id())))
                .isFalse();
    }
}
