package dev.vessel.net;

import java.util.List;

/** The outcome of {@link IpamStore#reserve}. */
public sealed interface Reservation {
    /** The lease is now stored. */
    record Reserved(Lease lease) implements Reservation {}

    /** The owner already holds this lease (perhaps another address, perhaps in another network); nothing changed. */
    record AlreadyHeld(Lease lease) implements Reservation {}

    /** Another owner holds the address in that network. */
    record AddressTaken(Lease holder) implements Reservation {}

    /** Another owner holds the MAC. */
    record MacTaken(Lease holder) implements Reservation {}

    /**
     * The decision every store makes, under its own lock or transaction: an owner holds at most one lease, an address
     * at most one owner per network, a MAC at most one owner anywhere.
     */
    static Reservation decide(List<Lease> current, Lease wanted) {
        for (Lease l : current) {
            if (l.owner().equals(wanted.owner())) {
                return new AlreadyHeld(l);
            }
        }
        for (Lease l : current) {
            if (l.network().equals(wanted.network()) && l.address().equals(wanted.address())) {
                return new AddressTaken(l);
            }
            if (l.mac().equals(wanted.mac())) {
                return new MacTaken(l);
            }
        }
        return new Reserved(wanted);
    }
}
