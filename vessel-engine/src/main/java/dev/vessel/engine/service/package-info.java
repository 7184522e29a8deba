/**
 * The engine's typed services: what every face (the REST API, the web UI, the Docker and Proxmox APIs to come) may call,
 * and nothing else of the engine. Each takes and returns records of {@code dev.vessel.model} (or of the domain core),
 * and reports failures as {@code VesselException}s, whose problem type each face maps into its own error format.
 */
package dev.vessel.engine.service;
