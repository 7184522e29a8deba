package dev.vessel.model;

import java.util.List;

/** A network's settings, as it was made. */
public record NetworkView(
        String name, String subnet, String gateway, boolean nat, boolean isolated, List<String> peers) {}
