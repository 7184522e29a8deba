package dev.vessel.engine.service;

import dev.vessel.model.CloneRequest;
import dev.vessel.model.CloneResult;
import dev.vessel.model.InstanceView;
import dev.vessel.model.MemoryTargetRequest;
import dev.vessel.model.VmCreateRequest;
import java.util.Map;

/** What only VMs have: creation from an image or files, templates and clones, the balloon's target. */
public interface Vms {
    /** Creates a VM in {@code project} (null: the default one), within the project's quotas. */
    InstanceView create(String project, VmCreateRequest request);

    default InstanceView create(VmCreateRequest request) {
        return create(null, request);
    }

    InstanceView template(String name);

    CloneResult clone(String name, CloneRequest request);

    Map<String, Object> setMemoryTarget(String name, MemoryTargetRequest request);

    /** Puts a medium into a CD-ROM drive or ejects one, at once when the VM runs, and for its next starts. */
    InstanceView cdrom(String name, dev.vessel.model.CdromRequest request);

    /** What the running VM's guest agent says of the guest; "guest agent not responding" without one. */
    dev.vessel.core.model.GuestInfo guest(String name, int timeoutSeconds);

    /** Runs a program in the running VM through its guest agent (no shell) and waits for its end. */
    dev.vessel.model.GuestExecResult guestExec(String name, dev.vessel.model.GuestExecRequest request);

    /** Changes a VM's CPUs, memory (while it is stopped) and autostart, within the project's quotas. */
    InstanceView configure(String name, dev.vessel.model.VmConfigRequest request);
}
