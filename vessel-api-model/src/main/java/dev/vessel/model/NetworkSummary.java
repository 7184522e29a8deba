package dev.vessel.model;

import java.util.List;

/** A network in a listing: its settings, its bridge, and the instances that have an address in it. */
public record NetworkSummary(
        String name,
        String subnet,
        String gateway,
        boolean nat,
        boolean isolated,
        List<String> peers,
        String bridge,
        List<String> instances) {}
