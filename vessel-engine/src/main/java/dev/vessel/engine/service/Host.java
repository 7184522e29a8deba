package dev.vessel.engine.service;

import dev.vessel.model.HostInfo;

/** Facts about the node. */
public interface Host {
    HostInfo info();
}
