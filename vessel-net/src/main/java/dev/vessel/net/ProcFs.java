package dev.vessel.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads /proc. PIDs are global here even when commands run in another network namespace ({@code ip netns exec} does
 * not change the PID namespace), so these are plain file reads. A process that vanishes while we look is normal and
 * reads as "absent", never as an error.
 */
final class ProcFs {
    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** The argv of a process, or empty when it is gone. */
    Optional<List<String>> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            // A zombie has an empty cmdline: it is not running anything any more.
            return args.isEmpty() ? Optional.empty() : Optional.of(args);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while the process exits surfaces as a plain IOException.
            if (!Files.exists(root.resolve(Long.toString(pid)))) {
                return Optional.empty();
            }
            throw new java.io.UncheckedIOException("cannot read cmdline of pid " + pid, e);
        }
    }

    /**
     * The network namespace of a process as "net:[inode]", or empty when it is gone or we may not look (without
     * CAP_SYS_PTRACE, another user's or a foreign namespace's init is closed to us; none of those is a process of ours).
     */
    Optional<String> netns(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(
                            root.resolve(Long.toString(pid)).resolve("ns").resolve("net"))
                    .toString());
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (!Files.exists(root.resolve(Long.toString(pid)))) {
                return Optional.empty();
            }
            throw new java.io.UncheckedIOException("cannot read netns of pid " + pid, e);
        }
    }

    List<Long> pids() {
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + root, e);
        }
    }
}
