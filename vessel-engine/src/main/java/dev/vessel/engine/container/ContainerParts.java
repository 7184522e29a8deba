package dev.vessel.engine.container;

import dev.vessel.container.ContainerIo;
import dev.vessel.container.RuncContainerDriver;
import dev.vessel.engine.instance.RestartSupervisor;

/** The container parts the API needs: create, images, stdio and exec, and the supervisor's restart counts. */
public record ContainerParts(
        ContainerCreator creator,
        OciImageOps images,
        ContainerIo io,
        RuncContainerDriver driver,
        RestartSupervisor supervisor,
        RegistryLogins logins,
        NamedVolumes volumes) {}
