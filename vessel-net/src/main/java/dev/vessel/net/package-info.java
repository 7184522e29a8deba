/**
 * Managed networks for VMs and containers: a Linux bridge per network, addresses from Vessel's own IPAM, one dnsmasq
 * per network for pinned DHCP leases and instance names, and one nftables table pair for NAT, isolation and published
 * ports.
 *
 * <p><b>Entry point.</b> {@link dev.vessel.net.NetworkManager} keeps the host in line with a {@link
 * dev.vessel.net.NetworkStore} and an {@link dev.vessel.net.IpamStore} (the daemon backs both with SQLite).
 *
 * <p><b>Which namespace.</b> Every host command goes through {@link dev.vessel.net.HostNet}. The daemon uses {@code
 * HostNet.host(runner)} and runs plain commands in its own namespace (to run it in a private one, start it under
 * {@code ip netns exec NS}). Tests use {@code HostNet.inNamespace(runner, "vt-...")}, which prefixes every command
 * with {@code ip netns exec}, so the library builds its bridges, rules and dnsmasq inside the test's namespace.
 *
 * <p><b>Host objects</b> all carry the {@code vsl-} prefix (see {@link dev.vessel.net.HostNames}), live in tables
 * {@code inet vessel} and {@code ip vessel-nat}, or are dnsmasq processes whose only argument is a config file under
 * {@code <state>/networks/<name>/}. That is how {@link dev.vessel.net.NetReaper} tells leftovers from other programs'
 * objects.
 */
package dev.vessel.net;
