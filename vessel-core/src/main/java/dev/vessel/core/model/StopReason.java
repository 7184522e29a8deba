package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why an instance is not running. Shown by inspect and carried by the stopped event. */
public enum StopReason {
    /** The user asked for a stop and the guest powered off in time (ACPI for VMs, the stop signal for containers). */
    @JsonProperty("stopped")
    STOPPED,
    /** The guest powered itself off. */
    @JsonProperty("guest-shutdown")
    GUEST_SHUTDOWN,
    /** A stop timed out and the instance was killed. */
    @JsonProperty("stop-timeout-killed")
    STOP_TIMEOUT_KILLED,
    /** The user asked for an immediate kill. */
    @JsonProperty("killed")
    KILLED,
    /** The process died without a shutdown (crash, OOM kill, external kill). */
    @JsonProperty("crashed")
    CRASHED,
    /** The process ended while the daemon was down; found on adoption. */
    @JsonProperty("died-while-daemon-down")
    DIED_WHILE_DAEMON_DOWN,
    /** It never got going. */
    @JsonProperty("start-failed")
    START_FAILED,
    /** A container's process exited on its own. */
    @JsonProperty("exited")
    EXITED,
    /** The kernel's OOM killer ended a process of the container at its memory limit. */
    @JsonProperty("oom-killed")
    OOM_KILLED;

    /** The reason in a few words, for people ("killed after the stop timeout"); {@link #label} is the stable code. */
    public String phrase() {
        return switch (this) {
            case STOPPED -> "stopped";
            case GUEST_SHUTDOWN -> "the guest shut down";
            case STOP_TIMEOUT_KILLED -> "killed after the stop timeout";
            case KILLED -> "killed";
            case CRASHED -> "crashed";
            case DIED_WHILE_DAEMON_DOWN -> "died while the daemon was down";
            case START_FAILED -> "start failed";
            case EXITED -> "exited";
            case OOM_KILLED -> "killed for lack of memory";
        };
    }

    public String label() {
        return switch (this) {
            case STOPPED -> "stopped";
            case GUEST_SHUTDOWN -> "guest-shutdown";
            case STOP_TIMEOUT_KILLED -> "stop-timeout-killed";
            case KILLED -> "killed";
            case CRASHED -> "crashed";
            case DIED_WHILE_DAEMON_DOWN -> "died-while-daemon-down";
            case START_FAILED -> "start-failed";
            case EXITED -> "exited";
            case OOM_KILLED -> "oom-killed";
        };
    }
}
