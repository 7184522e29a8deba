package dev.vessel.cli;

import dev.vessel.model.UnattendRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;

/** {@code --unattend user=alice,password-file=pw.txt,locale=de-DE,key=...} as an {@link UnattendRequest}. */
final class UnattendOptions {
    private UnattendOptions() {}

    static UnattendRequest parse(String s) {
        var kv = new HashMap<String, String>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new CliError(ExitCodes.USAGE, "--unattend: '" + part + "' is not KEY=VALUE");
            }
            String k = part.substring(0, eq).strip();
            if (!java.util.Set.of("user", "password", "password-file", "locale", "key", "timezone", "computer-name")
                    .contains(k)) {
                throw new CliError(
                        ExitCodes.USAGE,
                        "--unattend: unknown key '" + k
                                + "' (user, password, password-file, locale, key, timezone, computer-name)");
            }
            kv.put(k, part.substring(eq + 1));
        }
        String password = kv.get("password");
        if (kv.containsKey("password-file")) {
            try {
                password = Files.readString(
                                CliContext.current().absolute(java.nio.file.Path.of(kv.get("password-file"))))
                        .strip();
            } catch (IOException e) {
                throw new CliError(ExitCodes.USAGE, "--unattend: cannot read the password file: " + e.getMessage());
            }
        }
        return new UnattendRequest(
                kv.get("user"), password, kv.get("locale"), kv.get("key"), kv.get("timezone"), kv.get("computer-name"));
    }
}
