package dev.vessel.engine;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.engine.vm.TinyBuilder;
import dev.vessel.host.DownloadNetwork;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.image.TinyImageBuilder;
import java.nio.file.Path;

/**
 * The tiny guest, built by {@link TinyImageBuilder} into the daemon's cache dir, host-wide by default (the kernel
 * .deb and the build are reused until the scripts or the Debian packages change); the image catalog then copies it
 * into the daemon's images. The packages are downloaded in the host's network namespace, so a daemon in a namespace
 * with no route out (the demo's) builds it too.
 */
final class TinyImages implements TinyBuilder {
    private final TinyImageBuilder builder;
    private final Path cache;

    /**
     * @param cacheDir the daemon's cache dir: the packages go to {@code debs/}, the build to {@code tiny/}
     * @param network where the packages are downloaded
     */
    TinyImages(ProcessRunner proc, Path cacheDir, DownloadNetwork network) {
        this.builder = new TinyImageBuilder(proc, cacheDir.resolve("debs"), network);
        this.cache = cacheDir.resolve("tiny");
    }

    @Override
    public Artifacts build(Path scratch, InstanceDriver.Progress progress) {
        var t = builder.build(cache, progress::report);
        return new Artifacts(t.kernel(), t.initrd(), t.diskInitrd(), t.rootDisk(), t.cmdline(), t.readyMarker());
    }
}
