package dev.vessel.cli;

import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.model.InstanceView;

/** An instance's state in words: a few for ps, a sentence after start, stop, kill and restart. */
final class States {
    private States() {}

    /**
     * For ps: "running 5m", "stopped", "template", "stopped (exited 3)", "stopped (killed after timeout)". A plain stop
     * on request is just "stopped"; any other ending says how.
     */
    static String brief(InstanceView i) {
        if (i.spec() instanceof VmSpec vm && Boolean.TRUE.equals(vm.template())) {
            return "template";
        }
        return switch (i.state()) {
            case InstanceState.Running r ->
                "running " + Output.ago(r.since() == null ? null : r.since().toString());
            case InstanceState.Stopped s -> stopped(s);
            case null -> i.status();
            default -> i.state().label();
        };
    }

    private static String stopped(InstanceState.Stopped s) {
        String how = s.reason() == null
                ? ""
                : switch (s.reason()) {
                    case STOPPED -> "";
                    case STOP_TIMEOUT_KILLED -> "killed after timeout";
                    default -> s.reason().label();
                };
        Integer code = s.exitCode();
        if (code != null && !(how.isEmpty() && code == 0)) {
            how = (how.isEmpty() ? "exit" : how) + " " + code;
        }
        return how.isEmpty() ? "stopped" : "stopped (" + how + ")";
    }

    /**
     * After a lifecycle operation: "web running", "web stopped", "web was killed after the stop timeout: the guest did
     * not power off within 60 s of the ACPI power button ...", "job exited with code 3".
     */
    static String outcome(String name, InstanceView i) {
        if (!(i.state() instanceof InstanceState.Stopped s)) {
            return name + " " + i.status();
        }
        String detail = s.detail() == null ? "" : s.detail();
        Integer code = s.exitCode();
        StopReason reason = s.reason() == null ? StopReason.STOPPED : s.reason();
        return switch (reason) {
            case STOPPED -> name + " stopped" + (code != null && code != 0 ? " (exit code " + code + ")" : "");
            case STOP_TIMEOUT_KILLED ->
                name + " was killed after the stop timeout" + (detail.isEmpty() ? "" : ": " + detail);
            case EXITED -> name + " exited" + (code != null ? " with code " + code : "");
            default -> name + " stopped (" + reason.label() + ")" + (detail.isEmpty() ? "" : ": " + detail);
        };
    }
}
