package dev.vessel.model;

import java.util.List;

/**
 * The {@code cloudInit} of a VM create request: either {@code userData} as given (with an optional
 * {@code networkConfig}), or {@code user}, {@code password} and {@code sshKeys} from which Vessel writes it.
 */
public record CloudInitRequest(
        String userData, String networkConfig, String user, String password, List<String> sshKeys) {}
