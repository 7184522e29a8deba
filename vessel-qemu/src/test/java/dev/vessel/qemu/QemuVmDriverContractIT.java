package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.driver.InstanceDriverContract;
import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import dev.vessel.oci.Cgroups;
import dev.vessel.oci.RuncRuntime;
import dev.vessel.qemu.image.BuildProgress;
import dev.vessel.qemu.image.TinyImage;
import dev.vessel.qemu.image.TinyImageBuilder;
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

/** The QEMU-in-runc driver passes the driver contract against real runc and QEMU, with the tiny guest. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class QemuVmDriverContractIT extends InstanceDriverContract {
    static Path base;
    static TinyImage tiny;
    static RuncRuntime runc;

    @BeforeAll
    static void host() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "vq-");
        tiny = new TinyImageBuilder()
                .build(
                        Path.of(System.getProperty("vessel.test.tiny", "/var/cache/vessel/test-tiny")),
                        BuildProgress.NONE);
        runc = new RuncRuntime("/usr/sbin/runc", base.resolve("runc"), new ProcessRunner());
    }

    @AfterAll
    static void clean() {
        for (var c : runc.list()) {
            runc.delete(c.id(), true);
        }
        AtomicFiles.deleteTree(base);
    }

    VmHostLayout layout() {
        return new VmHostLayout(
                base.resolve("instances"), base.resolve("vm"), tiny.kernel().getParent());
    }

    @Override
    protected InstanceDriver newDriver() {
        // TCG always: the contract is about the driver, not the host's KVM.
        return new QemuVmDriver(
                layout(),
                runc,
                mode -> new AccelPolicy.Choice(false, "contract test"),
                events,
                Cgroups.host(),
                Clock.systemUTC());
    }

    @Override
    protected Instance newInstance() {
        String id = HexFormat.of().formatHex(new byte[] {
            (byte) ThreadLocalRandom.current().nextInt(),
            (byte) ThreadLocalRandom.current().nextInt(),
            (byte) ThreadLocalRandom.current().nextInt(),
            (byte) ThreadLocalRandom.current().nextInt(),
            1,
            2
        });
        var boot = new Boot(tiny.kernel().toString(), tiny.initrd().toString(), tiny.cmdline(), List.of());
        var spec = new VmSpec(128L << 20, 1, AccelMode.TCG, 60, "tiny", boot, tiny.readyMarker());
        return new Instance(
                id, "c" + id, InstanceKind.VM, spec, new InstanceState.Created(Instant.now()), null, Instant.now());
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
        var paths = layout().paths(instance.id());
        assertThat(paths.stateDir()).doesNotExist();
        assertThat(paths.runDir()).doesNotExist();
        assertThat(runc.state(VmHostLayout.containerId(instance.id()))).isEmpty();
        assertThat(Cgroups.host().exists(VmHostLayout.cgroupsPath(instance.id())))
                .isFalse();
    }
}
