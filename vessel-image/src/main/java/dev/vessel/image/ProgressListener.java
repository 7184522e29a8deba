package dev.vessel.image;

/**
 * Told about each layer's progress during a pull, from several threads at once (layers download concurrently), so
 * implementations must be thread-safe. Events for one layer arrive in order. A CLI keeps one bar per layer id.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> {};

    void onProgress(LayerProgress progress);
}
