package dev.vessel.net;

import java.util.Optional;

/**
 * What QEMU needs to use a VM's NIC: the tap to open (by name, in the namespace QEMU runs in) and the MAC to give the
 * guest, which is the one its DHCP lease is pinned to.
 *
 * @param namespace where the tap lives: empty for the daemon's own namespace, else the VM runtime's
 * @param hostLink the Vessel object on the host side (a tap, or the host end of the veth), which the reaper knows
 */
public record VmNic(Lease lease, String tap, Optional<NetnsRef> namespace, String hostLink) {}
