package dev.vessel.daemon.it;

/** Builds the tiny guest images in a test daemon (the build itself is cached host-wide, so this is quick after once). */
final class TinyImageSupport {
    private TinyImageSupport() {}

    static void ensure(DaemonProcess d) {
        var r = d.client().call("GET", "/api/v1/images/tiny", null);
        if (r.status() == 404) {
            d.okTask("/api/v1/images/build-tiny", null);
        }
    }
}
