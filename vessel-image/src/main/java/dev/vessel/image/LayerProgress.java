package dev.vessel.image;

/**
 * One progress event.
 *
 * @param id the layer blob's short id (12 hex digits), as {@code docker pull} shows it
 * @param bytesDone bytes downloaded (downloading, verifying) or read back from the blob (extracting)
 * @param bytesTotal the blob's size from its descriptor
 */
public record LayerProgress(String id, long bytesDone, long bytesTotal, Phase phase) {
    public enum Phase {
        WAITING,
        DOWNLOADING,
        VERIFYING,
        EXTRACTING,
        /** Finished; also sent at once for a layer the store already had. */
        DONE
    }
}
