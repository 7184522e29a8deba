package dev.vessel.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * One network's dnsmasq. It daemonises itself, so it outlives a daemon restart; the pid file finds it again, and
 * /proc/PID/cmdline proves the pid is still our dnsmasq with our config and not a recycled pid. Changes to instances
 * rewrite the dhcp-hostsfile and addn-hosts files and send SIGHUP, which makes dnsmasq re-read exactly those, so a
 * change never restarts it or drops a lease.
 */
public final class DnsmasqProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration PID_FILE_WAIT = Duration.ofSeconds(5);

    private final HostNet host;
    private final ProcFs proc;
    private final NetworkSpec net;
    private final DnsmasqFiles files;

    public DnsmasqProcess(HostNet host, NetworkSpec net, DnsmasqFiles files) {
        this(host, ProcFs.system(), net, files);
    }

    DnsmasqProcess(HostNet host, ProcFs proc, NetworkSpec net, DnsmasqFiles files) {
        this.host = host;
        this.proc = proc;
        this.net = net;
        this.files = files;
    }

    public DnsmasqFiles files() {
        return files;
    }

    /**
     * Writes the config and host files. dnsmasq drops root for "nobody" and re-reads the host files as that user on
     * SIGHUP, so the directory and files are world-readable (they hold names and addresses, nothing secret); the
     * directories above the state root must be traversable for it too.
     */
    public void writeFiles(List<Lease> leases) {
        requireTraversable(files.dir());
        try {
            Files.createDirectories(files.dir());
            Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + files.dir(), e);
        }
        replace(files.config(), DnsmasqConfig.config(net, files));
        replace(files.dhcpHosts(), DnsmasqConfig.dhcpHosts(leases));
        replace(files.hosts(), DnsmasqConfig.hosts(leases));
    }

    /**
     * Replaces a file by rename, so dnsmasq never reads half of one, but without an fsync: these files are derived
     * from the store and written again at every daemon start ({@code NetworkManager.restore}), so a crash cannot lose
     * anything, and three fsyncs would be most of an instance's network set-up time.
     */
    private static void replace(java.nio.file.Path target, String content) {
        java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            Files.writeString(tmp, content);
            Files.move(
                    tmp,
                    target,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Fails early, with the fix in the message, when dnsmasq could start (as root) but would fail to re-read its files
     * after dropping to "nobody": the symptom would otherwise be names that silently stop updating.
     */
    static void requireTraversable(java.nio.file.Path dir) {
        for (var p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p)
                        && !Files.getPosixFilePermissions(p)
                                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw VesselException.state("dnsmasq drops to user nobody and could not reach " + dir + ": " + p
                            + " is not traversable by others (chmod o+x it, or keep network state elsewhere)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check permissions of " + p, e);
            }
        }
    }

    /** The pid of our running dnsmasq, if the pid file names a live process running exactly our argv. */
    public OptionalLong pid() {
        String text;
        try {
            text = Files.readString(files.pid()).strip();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.pid(), e);
        }
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(text);
        return isOurs(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    boolean isOurs(long pid) {
        return proc.cmdline(pid).map(files.argv()::equals).orElse(false);
    }

    /** Adopts a running dnsmasq, or starts one; returns its pid. The files must have been written. */
    public long start() {
        OptionalLong running = pid();
        if (running.isPresent()) {
            return running.getAsLong();
        }
        try {
            Files.deleteIfExists(files.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale " + files.pid(), e);
        }
        var r = host.startDaemon(files.log(), files.argv().toArray(String[]::new));
        if (!r.ok()) {
            throw VesselException.host(
                    "dnsmasq for network '" + net.name() + "' did not start (exit " + r.exitCode() + "): "
                            + r.stdout().strip(),
                    null);
        }
        // The parent exits once the child is ready and has written its pid file; the wait only covers a slow disk.
        Instant deadline = Instant.now().plus(PID_FILE_WAIT);
        while (Instant.now().isBefore(deadline)) {
            OptionalLong pid = pid();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            sleep(Duration.ofMillis(20));
        }
        throw VesselException.host(
                "dnsmasq for network '" + net.name() + "' started but wrote no pid file " + files.pid(), null);
    }

    /** Rewrites the host files and has dnsmasq re-read them; starts it if it is not running. */
    public long reload(List<Lease> leases) {
        writeFiles(leases);
        OptionalLong running = pid();
        if (running.isPresent() && host.signal(running.getAsLong(), "HUP")) {
            return running.getAsLong();
        }
        return start();
    }

    /**
     * Makes dnsmasq forget the DHCP leases of released addresses. dnsmasq keeps a lease until it expires even when its
     * host entry is gone, and refuses to hand a configured address to a new MAC while another MAC holds a lease on it
     * ("not using configured address ... because it is leased to ..."): an address IPAM gives to the next instance
     * would get no DHCP answer for up to an hour. dnsmasq reads its lease file only at start, so when the file names a
     * released address or MAC, it is stopped, the lines are removed, and it is started again (tens of milliseconds,
     * only on removals). Returns whether it restarted.
     */
    public boolean forget(List<Lease> released) {
        if (released.isEmpty() || !Files.exists(files.leases())) {
            return false;
        }
        String current = read(files.leases());
        if (DnsmasqConfig.withoutLeases(current, released).equals(DnsmasqConfig.withoutLeases(current, List.of()))) {
            return false;
        }
        boolean wasRunning = pid().isPresent();
        stop();
        // Read again after the stop: dnsmasq may have written a renewal in between.
        AtomicFiles.write(files.leases(), DnsmasqConfig.withoutLeases(read(files.leases()), released));
        if (wasRunning) {
            start();
        }
        return true;
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Stops our dnsmasq if it runs: SIGTERM, then SIGKILL after a grace period. */
    public void stop() {
        OptionalLong running = pid();
        if (running.isPresent()) {
            terminate(host, proc, running.getAsLong());
        }
        try {
            Files.deleteIfExists(files.pid());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + files.pid(), e);
        }
    }

    /** Stops a process already proven to be a dnsmasq of ours. */
    static void terminate(HostNet host, ProcFs proc, long pid) {
        host.signal(pid, "TERM");
        Instant deadline = Instant.now().plus(STOP_GRACE);
        while (proc.cmdline(pid).isPresent() && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(20));
        }
        if (proc.cmdline(pid).isPresent()) {
            host.signal(pid, "KILL");
        }
    }

    /** Stops it and removes its directory: config, host files, leases, log, pid file. */
    public void destroy() {
        stop();
        AtomicFiles.deleteTree(files.dir());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.host("interrupted while waiting for dnsmasq", e);
        }
    }
}
