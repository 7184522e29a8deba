package dev.vessel.storage.cloudinit;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes cloud-init documents from a few options. Every string value is written JSON-quoted: YAML 1.2 reads JSON
 * strings as they are, so no user value can add keys or break the document. Passwords are stored as SHA-512 crypt
 * hashes ({@code openssl passwd -6}), never in clear text.
 */
public final class CloudInitDocuments {
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern SSH_KEY = Pattern.compile(
            "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( [^\\n\\r]*)?");
    private static final String OPENSSL = "/usr/bin/openssl";

    private final ProcessRunner proc;

    public CloudInitDocuments(ProcessRunner proc) {
        this.proc = proc;
    }

    /** The user-data for a user with sudo, a password and/or SSH keys; without a user, the keys go to the image's default user. */
    public String userData(String user, String password, List<String> sshKeys) {
        List<String> keys = sshKeys == null
                ? List.of()
                : sshKeys.stream().map(String::strip).toList();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).length() > 16384 || !SSH_KEY.matcher(keys.get(i)).matches()) {
                throw VesselException.invalid(
                        "cloudInit.sshKeys[" + i + "]", "is not an OpenSSH public key line (type, base64, comment)");
            }
        }
        if (user != null && !USER.matcher(user).matches()) {
            throw VesselException.invalid(
                    "cloudInit.user", "'" + user + "' is not a Linux user name (lower-case letters, digits, _ and -)");
        }
        if (password != null && user == null) {
            throw VesselException.invalid("cloudInit.password", "a password needs a user (--user) to set it for");
        }
        if (password != null
                && (password.isEmpty()
                        || password.length() > 1024
                        || password.chars().anyMatch(c -> c < 0x20))) {
            throw VesselException.invalid("cloudInit.password", "must be 1..1024 printable characters");
        }
        if (user == null && keys.isEmpty()) {
            throw VesselException.invalid("cloudInit", "give user-data, or at least a user or an SSH key");
        }
        var y = new StringBuilder("#cloud-config\n");
        if (user == null) {
            y.append("ssh_authorized_keys:\n");
            keys.forEach(k -> y.append("  - ").append(q(k)).append('\n'));
            return y.toString();
        }
        y.append("users:\n  - default\n  - name: ").append(q(user)).append('\n');
        y.append("    sudo: ").append(q("ALL=(ALL) NOPASSWD:ALL")).append('\n');
        y.append("    shell: ").append(q("/bin/bash")).append('\n');
        if (password != null) {
            y.append("    lock_passwd: false\n");
            y.append("    passwd: ").append(q(hash(password))).append('\n');
        }
        if (!keys.isEmpty()) {
            y.append("    ssh_authorized_keys:\n");
            keys.forEach(k -> y.append("      - ").append(q(k)).append('\n'));
        }
        if (password != null) {
            y.append("ssh_pwauth: true\n");
        }
        return y.toString();
    }

    /** meta-data: the instance id (new for a clone, so cloud-init runs its per-instance steps again) and the host name. */
    public static String metaData(String instanceId, String hostname) {
        return "instance-id: " + q(instanceId) + "\nlocal-hostname: " + q(hostname) + "\n";
    }

    private String hash(String password) {
        var r = proc.exec(
                        List.of(OPENSSL, "passwd", "-6", "-stdin"),
                        Duration.ofSeconds(30),
                        null,
                        (password + "\n").getBytes(StandardCharsets.UTF_8))
                .orThrow();
        String h = r.stdout().strip();
        if (!h.startsWith("$6$")) {
            throw VesselException.host("openssl passwd gave no SHA-512 crypt hash", null);
        }
        return h;
    }

    static String q(String s) {
        return Json.write(s);
    }
}
