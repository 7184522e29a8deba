package dev.vessel.qemu.qmp;

/**
 * Why a {@link QmpClient}'s connection ended; the value of {@link QmpClient#closed()}.
 *
 * @param reason what ended it
 * @param detail a human-readable description for logs (socket path, I/O error message)
 */
public record QmpDisconnect(Reason reason, String detail) {
    public enum Reason {
        /** QEMU closed the socket (orderly EOF): it exited, was killed, or dropped us. */
        PEER_CLOSED,
        /** The connection failed with an I/O error (e.g. reset) or an unusable stream; QEMU is most likely gone. */
        IO_ERROR,
        /** Our own {@link QmpClient#close()}; QEMU is presumably still running and can be re-adopted. */
        CLIENT_CLOSED
    }

    /** True unless we closed the connection ourselves, i.e. the daemon should check whether QEMU is still alive. */
    public boolean byPeer() {
        return reason != Reason.CLIENT_CLOSED;
    }
}
