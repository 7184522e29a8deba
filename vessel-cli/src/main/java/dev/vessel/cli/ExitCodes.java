package dev.vessel.cli;

/**
 * The CLI's exit codes. Scripts can tell "not there" from "not now" from "the daemon is down" without reading text.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The operation ran and failed (a failed task, a guest that never got ready). */
    public static final int FAILED = 1;
    /** Bad command-line usage (picocli's own code). */
    public static final int USAGE = 2;
    /** The daemon refused the request as invalid. */
    public static final int INVALID = 3;
    /** No such instance, image or task. */
    public static final int NOT_FOUND = 4;
    /** Conflicts with the current state: exists already, wrong state, in use. */
    public static final int CONFLICT = 5;
    /** The daemon cannot be reached. */
    public static final int UNAVAILABLE = 6;
    /** Something did not happen in time. */
    public static final int TIMEOUT = 7;
    /** Not logged in, the login failed, or the caller lacks the privilege. */
    public static final int DENIED = 8;
    /** A project's quota would be exceeded: nothing was made. */
    public static final int QUOTA = 9;

    private ExitCodes() {}

    static int forProblem(String code) {
        return switch (code == null ? "" : code) {
            case "invalid-input", "payload-too-large", "unsupported-media-type", "method-not-allowed" -> INVALID;
            case "not-found" -> NOT_FOUND;
            case "already-exists", "invalid-state", "in-use" -> CONFLICT;
            case "unavailable" -> UNAVAILABLE;
            case "unauthorized", "forbidden", "too-many-requests" -> DENIED;
            case "timeout" -> TIMEOUT;
            case "quota-exceeded" -> QUOTA;
            default -> FAILED;
        };
    }
}
