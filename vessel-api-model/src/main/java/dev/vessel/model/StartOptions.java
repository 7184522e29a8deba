package dev.vessel.model;

import java.time.Duration;

/**
 * How to start: whether to wait until the guest is ready (its ready marker, a TCP port, or its DHCP lease; see the
 * engine's ReadyWaiter), for how long, and for which port.
 *
 * @param waitPort a TCP port of the guest to wait for, or null
 */
public record StartOptions(boolean waitReady, Duration readyTimeout, Integer waitPort) {
    public static final StartOptions NO_WAIT = new StartOptions(false, Duration.ofMinutes(5), null);
}
