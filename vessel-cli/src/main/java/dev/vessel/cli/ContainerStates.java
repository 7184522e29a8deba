package dev.vessel.cli;

import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.TmpfsMount;
import dev.vessel.model.InstanceView;
import java.util.Locale;

/** A container's own lines in inspect. */
final class ContainerStates {
    private ContainerStates() {}

    /** {@code host}, or {@code auto} with the host ids that the container's ids are. */
    static String userns(ContainerSpec spec) {
        var r = spec.usernsRange();
        return r == null
                ? spec.userns() + " (the host's user namespace)"
                : spec.userns() + " (container ids 0-" + (r.size() - 1) + " are host ids " + r.hostId() + "-"
                        + r.lastHostId() + ")";
    }

    /** The container's own lines in inspect: exit code, writable layer, process settings, limits, restart policy. */
    static void inspect(java.io.PrintStream out, InstanceView i, ContainerSpec spec) {
        if (i.state() instanceof InstanceState.Stopped s && s.exitCode() != null) {
            InspectCommand.line(out, "Exit code", s.exitCode().toString());
        }
        InspectCommand.line(out, "Image id", String.valueOf(spec.imageId()));
        InspectCommand.line(
                out,
                "Rootfs",
                spec.rootfs()
                        + ("overlay".equals(spec.rootfs())
                                ? " (a writable layer over the shared image layers)"
                                : " (a private copy of the image: overlayfs was not allowed here)")
                        + (spec.readOnly() ? ", read-only" : ""));
        InspectCommand.line(out, "Userns", userns(spec));
        InspectCommand.line(out, "Restart", spec.restart() + (spec.autoRemove() ? ", removed when it ends" : ""));
        InspectCommand.line(out, "Network", spec.network() == null ? "default" : spec.network());
        InspectCommand.line(out, "Terminal", (spec.tty() ? "yes" : "no") + (spec.interactive() ? ", stdin open" : ""));
        var limits = new StringBuilder();
        if (spec.pidsLimit() > 0) {
            limits.append("pids ").append(spec.pidsLimit());
        }
        if (spec.cpus() > 0) {
            limits.append(limits.isEmpty() ? "" : ", ").append("cpus ").append(spec.cpus());
        }
        if (!limits.isEmpty()) {
            InspectCommand.line(out, "Limits", limits.toString());
        }
        for (ContainerMount m : spec.mounts()) {
            InspectCommand.line(
                    out,
                    "Mount",
                    m.source() + " -> " + m.target() + " (" + m.type().name().toLowerCase(Locale.ROOT)
                            + (m.readOnly() ? ", ro" : "") + ")");
        }
        for (TmpfsMount t : spec.tmpfs()) {
            InspectCommand.line(out, "Tmpfs", t.target());
        }
    }
}
