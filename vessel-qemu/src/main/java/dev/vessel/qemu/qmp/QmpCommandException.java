package dev.vessel.qemu.qmp;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.Map;

/**
 * QEMU answered a command with a QMP {@code error}. The problem type is {@link ProblemType#HOST_COMMAND_FAILED} and the
 * details are {@code {class, desc, command}}, so the API can show QEMU's own words; callers that care about a specific
 * failure (e.g. {@code DeviceNotFound}) match on {@link #errorClass()}, never on the description.
 */
public final class QmpCommandException extends VesselException {
    private final String errorClass;
    private final String desc;
    private final String command;

    QmpCommandException(String command, String errorClass, String desc) {
        super(
                ProblemType.HOST_COMMAND_FAILED,
                "QMP command '" + command + "' failed: " + errorClass + ": " + desc,
                Map.of("class", errorClass, "desc", desc, "command", command),
                null);
        this.errorClass = errorClass;
        this.desc = desc;
        this.command = command;
    }

    /** QMP's error class, e.g. {@code GenericError}, {@code CommandNotFound}, {@code DeviceNotFound}. */
    public String errorClass() {
        return errorClass;
    }

    /** QEMU's human-readable description. */
    public String desc() {
        return desc;
    }

    /** The command that failed. */
    public String command() {
        return command;
    }
}
