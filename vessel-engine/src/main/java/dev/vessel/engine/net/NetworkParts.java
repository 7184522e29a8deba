package dev.vessel.engine.net;

/** Managed networks' faces for the API and the engine. */
public record NetworkParts(
        NetworkHub hub,
        NetworkOps networks,
        PortOps ports,
        NicOps nics,
        NewVmNetworks newVms,
        ContainerNics containers,
        dev.vessel.engine.project.ProjectScopes scopes) {}
