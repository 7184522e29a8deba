package dev.vessel.qemu.image;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.DownloadNetwork;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gets Debian packages through apt without installing them: resolves the exact version apt would install, downloads
 * the .deb into a cache directory (kept between builds) and unpacks it. Nothing here touches the host's dpkg database.
 */
public final class DebianPackages {
    /** The metapackage that always depends on the current cloud kernel of the release. */
    public static final String KERNEL_META = "linux-image-cloud-amd64";

    private static final Pattern KERNEL_PACKAGE = Pattern.compile("linux-image-\\d+\\.\\d+\\.\\d+-\\d+-cloud-amd64");
    private static final Pattern DEPENDS = Pattern.compile("^\\s*\\|?Depends:\\s*(\\S+)\\s*$");
    private static final Pattern CANDIDATE = Pattern.compile("^\\s*Candidate:\\s*(\\S+)\\s*$");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(3);

    /** A package at the exact version apt chose. */
    public record Deb(String name, String version) {
        /** apt-get download names the file name_version_arch.deb, with the epoch colon escaped as %3a. */
        String filePrefix() {
            return name + "_" + version.replace(":", "%3a") + "_";
        }
    }

    private final ProcessRunner runner;
    private final Path cacheDir;
    private final DownloadNetwork network;

    public DebianPackages(ProcessRunner runner, Path cacheDir) {
        this(runner, cacheDir, DownloadNetwork.own());
    }

    /** @param network where {@code apt-get download} goes out; queries of apt's lists need no network */
    public DebianPackages(ProcessRunner runner, Path cacheDir, DownloadNetwork network) {
        this.runner = runner;
        this.cacheDir = cacheDir;
        this.network = network;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** The versioned kernel package the metapackage points at, e.g. linux-image-6.1.0-56-cloud-amd64. */
    public String kernelPackage() {
        var r = runner.exec(List.of("apt-cache", "depends", KERNEL_META), QUERY_TIMEOUT, null, null);
        if (!r.ok()) {
            throw aptMissing(KERNEL_META, r.stderr().isBlank() ? r.stdout() : r.stderr());
        }
        return parseKernelDependency(r.stdout()).orElseThrow(() -> aptMissing(KERNEL_META, r.stdout()));
    }

    /** The version apt would install now. */
    public Deb candidate(String name) {
        var r = runner.exec(List.of("apt-cache", "policy", name), QUERY_TIMEOUT, null, null);
        Optional<String> version = r.ok() ? parseCandidate(r.stdout()) : Optional.empty();
        return new Deb(
                name, version.orElseThrow(() -> aptMissing(name, r.stderr().isBlank() ? r.stdout() : r.stderr())));
    }

    /** The cached .deb for {@code deb}, downloading it first if it is not there yet. */
    public Path fetch(Deb deb) {
        Optional<Path> cached = cached(deb);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            Files.createDirectories(cacheDir);
            // apt-get writes into the working directory; a private one keeps a failed download out of the cache.
            Path partial = Files.createTempDirectory(cacheDir, ".download-");
            try {
                // apt's _apt user usually cannot enter our private directory; say up front that root downloads it.
                var r = runner.exec(
                        network.wrap(List.of(
                                "apt-get",
                                "-q",
                                "-o",
                                "APT::Sandbox::User=root",
                                "download",
                                deb.name() + "=" + deb.version())),
                        DOWNLOAD_TIMEOUT,
                        partial,
                        null);
                if (!r.ok()) {
                    throw new VesselException(
                            ProblemType.UNAVAILABLE,
                            "cannot download " + deb.name() + " " + deb.version() + " from " + network.describe()
                                    + " (apt-get exited with " + r.exitCode() + "); run 'apt-get update' and retry: "
                                    + tail(r.stderr().isBlank() ? r.stdout() : r.stderr()),
                            Map.of("package", deb.name()),
                            null);
                }
                Path file = findDeb(partial, deb)
                        .orElseThrow(() -> VesselException.host(
                                "apt-get download " + deb.name() + " left no " + deb.filePrefix() + "*.deb in "
                                        + partial,
                                null));
                Path target = cacheDir.resolve(file.getFileName());
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            } finally {
                AtomicFiles.deleteTree(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the package cache " + cacheDir, e);
        }
    }

    public Optional<Path> cached(Deb deb) {
        return Files.isDirectory(cacheDir) ? findDeb(cacheDir, deb) : Optional.empty();
    }

    /** Unpacks the files of a .deb (not its maintainer scripts) under {@code dir}. */
    public void unpack(Path debFile, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runner.run(List.of("dpkg-deb", "-x", debFile.toString(), dir.toString()), UNPACK_TIMEOUT);
    }

    private static Optional<Path> findDeb(Path dir, Deb deb) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(deb.filePrefix()) && n.endsWith(".deb") && Files.isRegularFile(p);
                    })
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel package from {@code apt-cache depends linux-image-cloud-amd64}; empty if apt knows none. */
    static Optional<String> parseKernelDependency(String aptCacheDepends) {
        return aptCacheDepends
                .lines()
                .map(DEPENDS::matcher)
                .filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1))
                .filter(n -> KERNEL_PACKAGE.matcher(n).matches())
                .findFirst();
    }

    /** The candidate version from {@code apt-cache policy NAME}; empty if there is none (no lists, unknown name). */
    static Optional<String> parseCandidate(String aptCachePolicy) {
        return aptCachePolicy
                .lines()
                .map(CANDIDATE::matcher)
                .filter(java.util.regex.Matcher::matches)
                .map(m -> m.group(1))
                .filter(v -> !v.equals("(none)"))
                .findFirst();
    }

    private static VesselException aptMissing(String name, String aptSaid) {
        String said = tail(aptSaid);
        return new VesselException(
                ProblemType.UNAVAILABLE,
                "apt knows no installable version of " + name
                        + "; the package lists are probably missing or stale: run 'apt-get update'" + " and retry"
                        + (said.isEmpty() ? "" : " (apt said: " + said + ")"),
                Map.of("package", name),
                null);
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 500 ? "..." + t.substring(t.length() - 500) : t;
    }
}
