package dev.vessel.qemu;

import dev.vessel.host.HostIdTable;
import java.nio.file.Path;

/**
 * The host uid each VM's QEMU runs as: one of its own, so that one VM's QEMU cannot touch another's disks, sockets or
 * process, and none is root. Uids come from {@link #FIRST}.. (past the 100000-165535 that Debian gives to the first
 * user's subordinate ids, and past any regular account), the lowest free one first; the assignment is kept in a file
 * so that a VM keeps its uid across starts and daemon restarts, and goes when the VM is removed.
 */
public final class VmUids {
    public static final int FIRST = 300_000;
    public static final int COUNT = 65_536;

    private final HostIdTable table;

    public VmUids(Path file) {
        this.table = new HostIdTable(
                file, "VM uid", FIRST, 1, COUNT, "all " + COUNT + " VM uids from " + FIRST + " are taken");
    }

    /** The VM's uid (its gid is the same), given it now if it has none. */
    public int of(String instanceId) {
        return Math.toIntExact(table.allocate(instanceId));
    }

    public void release(String instanceId) {
        table.release(instanceId);
    }
}
