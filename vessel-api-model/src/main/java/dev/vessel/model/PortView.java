package dev.vessel.model;

/**
 * A published port: {@code hostIp:hostPort/protocol} on the host to {@code targetPort} of the instance.
 *
 * @param hostIp null for every address of the host
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortView(String hostIp, int hostPort, String protocol, String targetInstance, int targetPort) {}
