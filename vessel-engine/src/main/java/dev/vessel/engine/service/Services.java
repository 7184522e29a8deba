package dev.vessel.engine.service;

/** Every service of the engine, as a face gets them. */
public record Services(
        Instances instances,
        Vms vms,
        Containers containers,
        Consoles consoles,
        VmImages vmImages,
        OciImages ociImages,
        Storage storage,
        Networks networks,
        Tasks tasks,
        Events events,
        Stats stats,
        Host host,
        dev.vessel.access.AccessService access,
        dev.vessel.access.AuditLog audit,
        Projects projects) {}
