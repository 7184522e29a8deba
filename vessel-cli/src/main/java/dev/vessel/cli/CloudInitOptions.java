package dev.vessel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Turns {@code vm create}'s cloud-init options into the request's {@code cloudInit}; files are read here, on the client. */
final class CloudInitOptions {
    private CloudInitOptions() {}

    static void put(ObjectNode body, Path userData, Path networkConfig, String user, String password, List<String> sshKeys) {
        if (userData == null && networkConfig == null && user == null && password == null && sshKeys.isEmpty()) {
            return;
        }
        ObjectNode c = body.putObject("cloudInit");
        if (userData != null) {
            c.put("userData", read(userData));
        }
        if (networkConfig != null) {
            c.put("networkConfig", read(networkConfig));
        }
        Cmds.put(c, "user", user);
        Cmds.put(c, "password", password);
        if (!sshKeys.isEmpty()) {
            var keys = c.putArray("sshKeys");
            for (String k : sshKeys) {
                if (k.startsWith("@")) {
                    read(Path.of(k.substring(1))).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(keys::add);
                } else {
                    keys.add(k);
                }
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(CliContext.current().absolute(p));
        } catch (IOException e) {
            throw new CliError(ExitCodes.INVALID, "cannot read " + p + ": " + e.getMessage());
        }
    }
}
