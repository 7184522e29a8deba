package dev.vessel.image.registry;

import dev.vessel.image.oci.Platform;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How to talk to registries.
 *
 * @param insecureRegistries hosts (host or host:port) that may be reached over plain http; loopback hosts always may
 * @param credentials by registry host (docker.io for Docker Hub)
 * @param concurrentDownloads layers downloaded at once per pull (docker pull uses 3)
 * @param platform which entry of a manifest list / image index to pull
 */
public record RegistryOptions(
        Set<String> insecureRegistries,
        Map<String, Credentials> credentials,
        Duration connectTimeout,
        Duration requestTimeout,
        int concurrentDownloads,
        Platform platform) {

    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        credentials = Map.copyOf(credentials);
        if (concurrentDownloads < 1) {
            throw new IllegalArgumentException("concurrentDownloads must be at least 1");
        }
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(
                Set.of(), Map.of(), Duration.ofSeconds(15), Duration.ofSeconds(60), 3, Platform.host());
    }

    public RegistryOptions withInsecure(String... hosts) {
        return new RegistryOptions(
                Set.of(hosts), credentials, connectTimeout, requestTimeout, concurrentDownloads, platform);
    }

    public RegistryOptions withCredentials(String registry, Credentials c) {
        var all = new java.util.HashMap<>(credentials);
        all.put(registry, c);
        return new RegistryOptions(
                insecureRegistries, all, connectTimeout, requestTimeout, concurrentDownloads, platform);
    }

    public RegistryOptions withPlatform(Platform p) {
        return new RegistryOptions(
                insecureRegistries, credentials, connectTimeout, requestTimeout, concurrentDownloads, p);
    }
}
