package dev.vessel.qemu;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import dev.vessel.oci.OciRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A VM's TPM 2.0: swtpm, the emulator QEMU's {@code tpm-emulator} backend talks to. Its state is made once, when the
 * VM is created, by {@code swtpm_setup} as Proxmox VE makes it (an endorsement key with certificates from the host's
 * swtpm-localca, the platform certificate, NVRAM locked). At every start it runs inside the VM's own container as the
 * VM's uid, a second process next to QEMU with no more rights than QEMU: it is started after the container is created
 * and before QEMU, and it goes when the container's PID 1 (QEMU) goes, as every process of a PID namespace does.
 * {@code --terminate} also ends it when QEMU closes its control channel.
 */
public final class Swtpm {
    public static final String SWTPM = "/usr/bin/swtpm";
    public static final String SETUP = "/usr/bin/swtpm_setup";
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration SOCKET_WAIT = Duration.ofSeconds(15);

    private Swtpm() {}

    /** The argv of swtpm_setup for a new state file (never overwriting one). */
    public static List<String> setupArgv(Path state) {
        return List.of(
                SETUP,
                "--tpm2",
                "--tpmstate",
                "file://" + state,
                "--createek",
                "--create-ek-cert",
                "--create-platform-cert",
                "--lock-nvram",
                "--not-overwrite",
                "--config",
                "/etc/swtpm_setup.conf");
    }

    /** Makes the TPM state of a new VM; fails with swtpm_setup's own words. */
    public static void setup(ProcessRunner proc, Path state) {
        if (!Files.isExecutable(Path.of(SETUP))) {
            throw VesselException.state(
                    SETUP
                            + " is missing: a VM with a TPM needs Debian's swtpm and swtpm-tools (scripts/setup-host installs them)");
        }
        try {
            Files.createDirectories(state.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var r = proc.exec(setupArgv(state), SETUP_TIMEOUT, null, null);
        if (!r.ok() || !Files.isRegularFile(state)) {
            throw VesselException.host(
                    "swtpm_setup could not make the TPM state: " + (r.stderr() + r.stdout()).strip(), null);
        }
    }

    /**
     * The argv of swtpm inside the container.
     *
     * @param logLevel swtpm's log level: 1 logs errors, 20 every TPM command (as hex)
     */
    public static List<String> argv(VmPaths paths, int logLevel) {
        return List.of(
                SWTPM,
                "socket",
                "--tpm2",
                "--tpmstate",
                "backend-uri=file://" + paths.tpmState(),
                "--ctrl",
                "type=unixio,path=" + paths.swtpmSocket(),
                "--log",
                "file=" + paths.swtpmLog() + ",level=" + logLevel,
                "--terminate");
    }

    /**
     * Starts swtpm in the created (not yet started) container and waits until its control socket is there, so that
     * QEMU finds it; returns its host pid.
     */
    public static long start(OciRuntime runtime, String containerId, VmPaths paths, int logLevel) {
        if (!Files.isRegularFile(paths.tpmState())) {
            throw VesselException.state(
                    "this VM has a TPM but its state " + paths.tpmState() + " is missing; restore it from a backup");
        }
        try {
            Files.deleteIfExists(paths.swtpmSocket());
            Files.deleteIfExists(paths.swtpmPid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long pid = runtime.execDetached(containerId, argv(paths, logLevel), paths.swtpmPid(), paths.processLog());
        long deadline = System.nanoTime() + SOCKET_WAIT.toNanos();
        while (!Files.exists(paths.swtpmSocket())) {
            if (System.nanoTime() > deadline
                    || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw VesselException.host(
                        "swtpm did not open its socket " + paths.swtpmSocket() + ": " + lastLine(paths.swtpmLog()),
                        null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VesselException.state("interrupted while swtpm started");
            }
        }
        return pid;
    }

    /** What QEMU says its TPM is, e.g. {@code tpm-crb, emulator on swtpm pid 4242}, for inspect. */
    public static String describe(dev.vessel.qemu.qmp.QmpClient qmp, long pid) {
        var tpms = qmp.execute("query-tpm");
        boolean one = tpms.isArray() && !tpms.isEmpty();
        String model = one ? tpms.get(0).path("model").asText() : "none";
        String type = one ? tpms.get(0).path("options").path("type").asText() : "?";
        return model + ", " + type + " on swtpm pid " + pid;
    }

    /** The pid the runtime wrote when it started swtpm, for a VM adopted after a daemon restart; 0 if none. */
    public static long pid(VmPaths paths) {
        try {
            return Long.parseLong(Files.readString(paths.swtpmPid()).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static String lastLine(Path log) {
        try {
            var lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(swtpm logged nothing)";
        } catch (IOException e) {
            return "(no swtpm log)";
        }
    }
}
