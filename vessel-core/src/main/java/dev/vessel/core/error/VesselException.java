package dev.vessel.core.error;

import java.util.Map;

/**
 * The one exception type of the domain. Each carries a {@link ProblemType}, which fixes its HTTP status and its
 * stable problem URI, and a message that names the live state ("vm 'web' is running").
 */
public class VesselException extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> details;

    public VesselException(ProblemType type, String message) {
        this(type, message, Map.of(), null);
    }

    public VesselException(ProblemType type, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.details = Map.copyOf(details);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static VesselException invalid(String message) {
        return new VesselException(ProblemType.INVALID_INPUT, message);
    }

    public static VesselException invalid(String field, String message) {
        return new VesselException(ProblemType.INVALID_INPUT, field + ": " + message, Map.of("field", field), null);
    }

    public static VesselException notFound(String what, String name) {
        return new VesselException(ProblemType.NOT_FOUND, what + " '" + name + "' not found", Map.of(what, name), null);
    }

    public static VesselException exists(String what, String name) {
        return new VesselException(
                ProblemType.ALREADY_EXISTS, what + " '" + name + "' already exists", Map.of(what, name), null);
    }

    public static VesselException state(String message) {
        return new VesselException(ProblemType.INVALID_STATE, message);
    }

    public static VesselException inUse(String message) {
        return new VesselException(ProblemType.IN_USE, message);
    }

    public static VesselException host(String message, Throwable cause) {
        return new VesselException(ProblemType.HOST_COMMAND_FAILED, message, Map.of(), cause);
    }

    public static VesselException timeout(String message) {
        return new VesselException(ProblemType.TIMEOUT, message);
    }
}
