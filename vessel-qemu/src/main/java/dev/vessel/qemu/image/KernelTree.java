package dev.vessel.qemu.image;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpacked linux-image .deb: the kernel, its config and its modules. Finds the one kernel in {@code boot/} and
 * picks out the module files the guest has to load, with their dependencies.
 */
record KernelTree(String release, Path vmlinuz, Path config, Path modulesDir) {
    private static final Duration DEPMOD_TIMEOUT = Duration.ofMinutes(2);

    static KernelTree find(Path unpacked) {
        Path boot = unpacked.resolve("boot");
        List<Path> kernels;
        try (var s = Files.list(boot)) {
            kernels = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw VesselException.invalid("kernel", "the kernel package has no boot/ directory");
        }
        if (kernels.size() != 1) {
            throw VesselException.invalid(
                    "kernel", "expected one boot/vmlinuz-* in the kernel package, found " + kernels);
        }
        String release = kernels.getFirst().getFileName().toString().substring("vmlinuz-".length());
        Path config = boot.resolve("config-" + release);
        if (!Files.isRegularFile(config)) {
            throw VesselException.invalid("kernel", "the kernel package has no boot/config-" + release);
        }
        // Debian moved modules to /usr/lib/modules in later releases; bookworm still ships /lib/modules.
        Path modules = unpacked.resolve("lib/modules").resolve(release);
        if (!Files.isDirectory(modules)) {
            modules = unpacked.resolve("usr/lib/modules").resolve(release);
        }
        return new KernelTree(release, kernels.getFirst(), config, modules);
    }

    KernelConfig kernelConfig() {
        try {
            return KernelConfig.parse(Files.readString(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The files of {@code names} and everything they depend on, in load order. A .deb has no modules.dep (the
     * package's postinst runs depmod at install time), so it is generated here with the guest's own busybox.
     */
    GuestTrees.Modules modules(List<String> names, Path busybox, ProcessRunner runner) {
        if (names.isEmpty()) {
            return GuestTrees.Modules.none(release);
        }
        if (!Files.isDirectory(modulesDir)) {
            throw VesselException.invalid(
                    "kernel", "the kernel needs modules " + names + " but the package has no " + modulesDir);
        }
        try {
            Path dep = modulesDir.resolve("modules.dep");
            if (!Files.isRegularFile(dep)) {
                // depmod -b BASE reads BASE/lib/modules/RELEASE, i.e. two levels above the release directory.
                Path base = modulesDir.getParent().getParent().getParent();
                runner.run(List.of(busybox.toString(), "depmod", "-b", base.toString(), release), DEPMOD_TIMEOUT);
            }
            var order = ModuleDeps.parse(Files.readString(dep)).loadOrder(names);
            var files = new ArrayList<GuestTrees.ModuleFile>();
            for (String rel : order) {
                if (!rel.endsWith(".ko")) {
                    // busybox insmod reads plain ELF objects only; Debian 6.1 kernels ship them uncompressed.
                    throw VesselException.invalid(
                            "kernel", "module " + rel + " is compressed; the tiny guest can only load plain .ko files");
                }
                files.add(new GuestTrees.ModuleFile(rel, Files.readAllBytes(modulesDir.resolve(rel))));
            }
            return new GuestTrees.Modules(release, files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel modules in " + modulesDir, e);
        }
    }
}
