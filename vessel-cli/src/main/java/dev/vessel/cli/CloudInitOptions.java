package dev.vessel.cli;

import dev.vessel.model.CloudInitRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns {@code vm create}'s cloud-init options into the request's {@code cloudInit}; files are read here, on the client. */
final class CloudInitOptions {
    private CloudInitOptions() {}

    /** The request's cloud-init part, or null when no option asks for one. */
    static CloudInitRequest request(
            Path userData, Path networkConfig, String user, String password, List<String> sshKeys) {
        if (userData == null && networkConfig == null && user == null && password == null && sshKeys.isEmpty()) {
            return null;
        }
        List<String> keys = null;
        if (!sshKeys.isEmpty()) {
            keys = new ArrayList<>();
            for (String k : sshKeys) {
                if (k.startsWith("@")) {
                    read(Path.of(k.substring(1)))
                            .lines()
                            .filter(l -> !l.isBlank() && !l.startsWith("#"))
                            .forEach(keys::add);
                } else {
                    keys.add(k);
                }
            }
        }
        return new CloudInitRequest(
                userData == null ? null : read(userData),
                networkConfig == null ? null : read(networkConfig),
                user,
                password,
                keys);
    }

    private static String read(Path p) {
        try {
            return Files.readString(CliContext.current().absolute(p));
        } catch (IOException e) {
            throw new CliError(ExitCodes.INVALID, "cannot read " + p + ": " + e.getMessage());
        }
    }
}
