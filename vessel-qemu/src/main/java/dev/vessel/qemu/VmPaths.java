package dev.vessel.qemu;

import java.nio.file.Path;

/**
 * Where one VM's files live. The state dir (disks, serial log, bundle) survives reboots; the run dir holds the
 * sockets. Both are bind-mounted into the VM's container at the same paths, so the QEMU command line reads the same
 * inside and out.
 */
public record VmPaths(Path stateDir, Path runDir) {
    public Path bundle() {
        return stateDir.resolve("bundle");
    }

    public Path serialLog() {
        return stateDir.resolve("serial.log");
    }

    /** QEMU's own stdout/stderr, and runc's. */
    public Path processLog() {
        return stateDir.resolve("qemu.log");
    }

    public Path disksDir() {
        return stateDir.resolve("disks");
    }

    public Path qmpSocket() {
        return runDir.resolve("qmp.sock");
    }

    public Path consoleSocket() {
        return runDir.resolve("console.sock");
    }

    /** The TPM's persistent state (swtpm's linear file backend), kept with the disks. */
    public Path tpmState() {
        return disksDir().resolve("tpm.state");
    }

    /** swtpm's control socket, which QEMU connects to. */
    public Path swtpmSocket() {
        return runDir.resolve("swtpm.sock");
    }

    /** swtpm's host pid, written by the runtime when it starts it in the VM's container. */
    public Path swtpmPid() {
        return runDir.resolve("swtpm.pid");
    }

    public Path swtpmLog() {
        return stateDir.resolve("swtpm.log");
    }

    /** The guest agent's virtio-serial port, served by QEMU. */
    public Path agentSocket() {
        return runDir.resolve("qga.sock");
    }

    /** QEMU's VNC server, for a VM with a display. */
    public Path vncSocket() {
        return runDir.resolve("vnc.sock");
    }
}
