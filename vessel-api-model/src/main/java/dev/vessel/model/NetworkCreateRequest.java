package dev.vessel.model;

import java.util.List;

/** The body of {@code POST /api/v1/networks}. */
public record NetworkCreateRequest(
        String name, String subnet, String gateway, Boolean nat, Boolean isolated, List<String> peers) {}
