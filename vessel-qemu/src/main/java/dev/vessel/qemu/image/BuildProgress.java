package dev.vessel.qemu.image;

/** Receives progress of a long build, e.g. to update a task. {@code fraction} runs from 0 to 1. */
@FunctionalInterface
public interface BuildProgress {
    BuildProgress NONE = (fraction, message) -> {};

    void report(double fraction, String message);
}
