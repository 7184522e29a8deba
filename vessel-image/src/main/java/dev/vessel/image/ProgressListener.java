package dev.vessel.image;

/**
 * Told about each layer's progress during a pull, from several threads at once (layers download concurrently), so
 * implementations must be thread-safe. Events for one layer arrive in order. A CLI keeps one bar per layer id.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> {};

    void onProgress(LayerProgress progress);

    /** Something the user should know about what was stored, e.g. device nodes that a layer had and that were skipped. */
    default void onNotice(String message) {}
}
