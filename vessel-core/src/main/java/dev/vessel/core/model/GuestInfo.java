package dev.vessel.core.model;

import java.util.List;

/**
 * What a VM's guest agent says about the guest (Proxmox VE's agent info): its OS, host name, network interfaces with
 * their addresses, and the users logged in.
 *
 * @param agent true when the agent answered (the rest is what it said)
 */
public record GuestInfo(boolean agent, Os os, String hostname, List<Interface> interfaces, List<String> users) {
    /** @param id e.g. {@code debian} or {@code mswindows} */
    public record Os(String id, String name, String version, String kernel) {}

    /** @param addresses each {@code ADDRESS/PREFIX} */
    public record Interface(String name, String mac, List<String> addresses) {}
}
