package dev.vessel.model;

/** Versions every face and the CLI report. */
public final class Versions {
    /** Vessel's own version. */
    public static final String VESSEL = "0.1.0";
    /** The native API's version: its paths start with /api/v1; it grows by adding fields and routes only. */
    public static final String API = "v1";

    private Versions() {}
}
