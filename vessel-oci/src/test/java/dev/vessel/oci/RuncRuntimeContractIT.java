package dev.vessel.oci;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** runc keeps the promises {@link OciRuntimeContract} states, with a busybox bundle (needs root). */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class RuncRuntimeContractIT extends OciRuntimeContract {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private RuncRuntime runtime;

    @Override
    protected OciRuntime runtime() {
        if (runtime == null) {
            runtime = new RuncRuntime(
                    System.getProperty("vessel.runtime", "runc"), work.resolve("runc-root"), new ProcessRunner());
        }
        return runtime;
    }

    /** A spec whose process sleeps until it is signalled, in its own namespaces and cgroup. */
    static OciSpec sleeper(OciBundle bundle, String id) {
        return new OciSpec(
                id,
                List.of("/bin/busybox", "sleep", "1000"),
                List.of("PATH=/bin"),
                "/",
                0,
                0,
                List.of(),
                bundle.rootfs().toString(),
                true,
                List.of(
                        new OciSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                        new OciSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "mode=755", "size=1024k"))),
                List.of("pid", "ipc", "uts", "mount", "network"),
                new OciSpec.Resources(64L << 20, 0, 100_000, 64),
                List.of(),
                "/vessel-contract/" + id,
                0);
    }

    @Override
    protected Path bundle(Path dir, String id) throws Exception {
        var bundle = new OciBundle(dir);
        Files.createDirectories(bundle.rootfs().resolve("bin"));
        for (String d : List.of("proc", "dev", "sys", "tmp")) {
            Files.createDirectories(bundle.rootfs().resolve(d));
        }
        Files.copy(BUSYBOX, bundle.rootfs().resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        bundle.write(sleeper(bundle, id));
        return dir;
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
}
