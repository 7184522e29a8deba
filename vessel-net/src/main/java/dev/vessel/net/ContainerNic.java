package dev.vessel.net;

/**
 * How a container's end of a veth is set up inside its namespace.
 *
 * @param ifname the name inside the container, e.g. "eth0"
 * @param configure give it the lease's address (and the default route) ourselves; false leaves that to DHCP
 * @param defaultRoute route everything via the gateway: set it on one NIC only (the first)
 */
public record ContainerNic(String ifname, boolean configure, boolean defaultRoute) {
    public ContainerNic {
        if (ifname == null || !ifname.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}")) {
            throw new IllegalArgumentException("bad interface name: " + ifname);
        }
    }

    public static ContainerNic staticAddress(int nic) {
        return new ContainerNic("eth" + nic, true, nic == 0);
    }

    public static ContainerNic dhcp(int nic) {
        return new ContainerNic("eth" + nic, false, false);
    }
}
