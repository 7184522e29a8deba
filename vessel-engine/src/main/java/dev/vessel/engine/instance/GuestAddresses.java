package dev.vessel.engine.instance;

import dev.vessel.core.model.Instance;
import java.util.List;

/** A VM's addresses as the network side knows them: what each NIC has reserved, and whether the guest holds it. */
@FunctionalInterface
public interface GuestAddresses {
    GuestAddresses NONE = i -> List.of();

    List<Address> of(Instance i);

    /** @param leased the guest asked for the address by DHCP and holds it now */
    record Address(int nic, String network, String ip, boolean leased) {}
}
