package dev.vessel.image.layer;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.util.Map;

/** The errors of unpacking, phrased for the person whose image it is. */
public final class UnsafeArchive {
    private UnsafeArchive() {}

    /** An entry that would write outside the root or create something we refuse. */
    public static VesselException entry(String entry, String why) {
        return new VesselException(
                ProblemType.INVALID_INPUT,
                "unsafe archive entry '" + entry + "': " + why,
                Map.of("entry", entry),
                null);
    }

    /** The archive itself is broken: truncated, bad compression, bad tar header. */
    public static VesselException corrupt(String what, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new VesselException(ProblemType.INVALID_INPUT, "corrupt or truncated " + what + ": " + msg, Map.of(), e);
    }
}
