package dev.vessel.rest;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The bearer token of the TCP listener: made on first start, kept in a 0600 file. */
public final class ApiToken {
    private ApiToken() {}

    public static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String t = Files.readString(file).strip();
                if (t.length() >= 32) {
                    return t;
                }
            }
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String token = HexFormat.of().formatHex(b);
            AtomicFiles.writePrivate(file, token + "\n");
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token " + file, e);
        }
    }
}
