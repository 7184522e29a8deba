package dev.vessel.daemon;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.daemon.engine.TinyBuilder;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.image.TinyImageBuilder;
import java.nio.file.Path;

/**
 * The tiny guest, built by {@link TinyImageBuilder} into a host-wide cache (the kernel .deb and the build are reused
 * until the scripts or the Debian packages change); the image catalog then copies it into the daemon's images.
 */
final class TinyImages implements TinyBuilder {
    static final Path CACHE = Path.of("/var/cache/vessel/tiny");

    private final TinyImageBuilder builder;

    TinyImages(ProcessRunner proc) {
        this.builder = new TinyImageBuilder(proc, TinyImageBuilder.DEFAULT_DEB_CACHE);
    }

    @Override
    public Artifacts build(Path scratch, InstanceDriver.Progress progress) {
        var t = builder.build(CACHE, progress::report);
        return new Artifacts(t.kernel(), t.initrd(), t.diskInitrd(), t.rootDisk(), t.cmdline(), t.readyMarker());
    }
}
