package dev.vessel.qemu.block;

/**
 * A disk of a running VM as QEMU reports it in {@code query-block}.
 *
 * @param deviceId the guest device's id ({@code disk1-dev}, {@code hv1a2b3c4d-dev}), for {@code device_del}
 * @param nodeName the top (format) node, for snapshots, backups and {@code blockdev-del}
 * @param file the image file that node opened
 * @param virtualSize the size the guest sees
 */
public record BlockDevice(
        String deviceId, String nodeName, String file, String format, boolean readOnly, long virtualSize) {
    /** The protocol node under the format node; Vessel always names it {@code <node>-file}. */
    public String fileNodeName() {
        return nodeName + "-file";
    }
}
