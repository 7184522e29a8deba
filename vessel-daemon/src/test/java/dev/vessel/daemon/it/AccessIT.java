package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Access for real: the daemon's TCP listener with its own certificate, checked with Debian's openssl and curl;
 * logins, cookies and CSRF tokens, API tokens and their privilege separation, the ACL, the audit log, login
 * throttling, and a thousand malformed credentials. The daemon runs in a network namespace of its own (the
 * networks it makes stay there) and listens on its loopback; every tool runs in that namespace too.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class AccessIT {
    static DaemonProcess daemon;
    static int port;
    static Path work;
    static String url;
    static NetTestBed bed;

    @BeforeAll
    static void start() throws Exception {
        port = 8006; // the namespace is new: nothing else listens in it
        bed = new NetTestBed("--tcp-listen", "127.0.0.1:" + port);
        daemon = bed.daemon;
        work = Files.createTempDirectory(Path.of("/tmp"), "access-");
        url = "https://127.0.0.1:" + port;
        root(
                "POST",
                "/api/v1/access/users",
                "{\"name\":\"alice\",\"password\":\"alice-password\",\"groups\":[\"ops\"]}");
        root("POST", "/api/v1/access/users", "{\"name\":\"bob\",\"password\":\"bob-password\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static JsonNode root(String method, String path, String body) {
        var r = daemon.client().call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s %s: %s", method, path, r.text()).isLessThan(300);
        return r.body().length == 0 ? null : Json.tree(r.text());
    }

    record Out(int code, String out, String err) {}

    /** Runs a tool in the daemon's namespace (nsenter, not ip netns exec, which would remount /sys). */
    static Out run(List<String> argv, String stdin) throws Exception {
        var full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + bed.host));
        full.addAll(argv);
        var pb = new ProcessBuilder(full);
        Path in = Files.createTempFile(work, "in", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("VESSEL_CONFIG_DIR", work.resolve("config").toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv + " hung");
        }
        return new Out(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** curl against the TLS listener, trusting the node's CA; prints the status after the body. */
    static Out curl(String... args) throws Exception {
        var argv = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--cacert",
                daemon.dataDir().resolve("tls/ca.crt").toString(),
                "-w",
                "\n%{http_code}"));
        argv.addAll(List.of(args));
        return run(argv, null);
    }

    static int status(Out o) {
        String[] lines = o.out().strip().split("\n");
        return Integer.parseInt(lines[lines.length - 1].strip());
    }

    static JsonNode body(Out o) {
        String s = o.out().strip();
        return Json.tree(s.substring(0, s.lastIndexOf('\n')));
    }

    static Out vessel(String stdin, String... args) throws Exception {
        var argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vessel.cli.VesselCli"));
        argv.addAll(List.of(args));
        return run(argv, stdin);
    }

    @Test
    void theNodesCertificateIsWhatOpensslSeesAndWhatRemoteAddShows() throws Exception {
        var sc = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-showcerts"), "");
        assertThat(sc.out()).contains("BEGIN CERTIFICATE");
        String pem = sc.out()
                .substring(
                        sc.out().indexOf("-----BEGIN CERTIFICATE-----"),
                        sc.out().indexOf("-----END CERTIFICATE-----") + 25);
        Files.writeString(work.resolve("server.pem"), pem + "\n");
        var fp = run(
                List.of(
                        "openssl",
                        "x509",
                        "-noout",
                        "-fingerprint",
                        "-sha256",
                        "-in",
                        work.resolve("server.pem").toString()),
                null);
        String fingerprint = fp.out().strip().substring(fp.out().indexOf('=') + 1);
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Files.readString(daemon.log())).contains("TLS certificate SHA-256 fingerprint " + fingerprint);
        var verify = run(
                List.of(
                        "openssl",
                        "verify",
                        "-CAfile",
                        daemon.dataDir().resolve("tls/ca.crt").toString(),
                        work.resolve("server.pem").toString()),
                null);
        assertThat(verify.out()).contains(": OK");

        // Trust on first use: the question shows the same fingerprint; answering no adds nothing.
        var refused = vessel("n\n", "remote", "add", "node", url);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("SHA-256 fingerprint " + fingerprint).contains("Trust this certificate?");
        assertThat(vessel(null, "remote", "ls").out()).doesNotContain("node");
        var added = vessel(
                "alice-password\n",
                "remote",
                "add",
                "node",
                url,
                "--accept-certificate",
                "--user",
                "alice",
                "--password-stdin");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.err()).contains(fingerprint);
        assertThat(PosixFilePermissionsText(work.resolve("config/remotes.json")))
                .isEqualTo("rw-------");
        // -H NAME reaches the remote with the token remote add made; alice has no role yet, so she sees nothing.
        var ps = vessel(null, "-H", "node", "ps", "-o", "json");
        assertThat(ps.code()).as(ps.err()).isZero();
        assertThat(Json.tree(ps.out()).size()).isZero();
        var denied = vessel(null, "-H", "node", "volume", "create", "nope", "--size", "1M");
        assertThat(denied.code()).as(denied.err()).isEqualTo(8);
        assertThat(denied.err()).contains("alice!cli-").contains("lacks Pool.Allocate on /pools");
    }

    @Test
    void theCliLogsInWithItsOwnCertificateOnceAnAdministratorTrustsIt() throws Exception {
        var added = vessel(null, "remote", "add", "viacert", url, "--accept-certificate");
        assertThat(added.code()).as(added.err()).isZero();
        Path crt = work.resolve("config/client.crt");
        assertThat(added.out()).contains("vessel trust add NAME " + crt + " --user USER");
        assertThat(PosixFilePermissionsText(work.resolve("config/client.key"))).isEqualTo("rw-------");
        var shown = vessel(null, "remote", "client-cert");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).isEqualTo(Files.readString(crt));
        var fp = run(List.of("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", crt.toString()), null);
        String fingerprint = fp.out().strip().substring(fp.out().indexOf('=') + 1);
        assertThat(shown.err()).contains(fingerprint);
        assertThat(added.out()).contains(fingerprint);

        var before = vessel(null, "-H", "viacert", "ps");
        assertThat(before.code()).as(before.err()).isEqualTo(8);
        assertThat(before.err()).contains("is not trusted");
        root(
                "POST",
                "/api/v1/access/certificates",
                Json.write(java.util.Map.of("name", "cli", "certificate", Files.readString(crt), "user", "bob")));
        try {
            var after = vessel(null, "-H", "viacert", "ps", "-o", "json");
            assertThat(after.code()).as(after.err()).isZero();
            // The same files work for curl: the key is a plain PKCS#8 PEM.
            var me = curl(
                    "--cert",
                    crt.toString(),
                    "--key",
                    work.resolve("config/client.key").toString(),
                    url + "/api/v1/access/whoami");
            assertThat(body(me).path("name").asText()).isEqualTo("bob");
            assertThat(body(me).path("method").asText()).isEqualTo("certificate");
        } finally {
            root("DELETE", "/api/v1/access/certificates/cli", null);
        }
        assertThat(vessel(null, "-H", "viacert", "ps").code()).isEqualTo(8);
    }

    private static String PosixFilePermissionsText(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void plainHttpOnTheTcpPortIsRefusedWithAClearAnswer() throws Exception {
        var plain = run(
                List.of("curl", "-sS", "-w", "\n%{http_code}", "http://127.0.0.1:" + port + "/api/v1/version"), null);
        assertThat(status(plain)).isEqualTo(400);
        assertThat(plain.out()).contains("this port speaks HTTPS only: use https://127.0.0.1:" + port);
        assertThat(status(curl(url + "/api/v1/version"))).isEqualTo(200);
        assertThat(status(curl(url + "/api/v1/instances"))).isEqualTo(401);
    }

    @Test
    void aBrowserLoginSetsASafeCookieAndChangesNeedTheCsrfToken() throws Exception {
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/networks\",\"principal\":\"@ops\",\"role\":\"Administrator\"}");
        Path jar = work.resolve("cookies-" + System.nanoTime());
        var login = curl(
                "-c",
                jar.toString(),
                "-D",
                "-",
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"username\":\"alice\",\"password\":\"alice-password\"}",
                url + "/api/v1/access/ticket");
        assertThat(login.out())
                .containsPattern("(?i)set-cookie: VesselAuthCookie=VSL1:alice:[^;]+; Path=/; Max-Age=7200;"
                        + " HttpOnly; Secure; SameSite=Strict");
        String json = login.out().substring(login.out().indexOf("\r\n\r\n") + 4);
        String csrf = Json.tree(json.substring(0, json.lastIndexOf('\n')))
                .path("csrfPreventionToken")
                .asText();
        assertThat(status(curl("-b", jar.toString(), url + "/api/v1/networks"))).isEqualTo(200);
        String net = "{\"name\":\"csrf1\",\"subnet\":\"10.202.0.0/24\"}";
        var noToken =
                curl("-b", jar.toString(), "-H", "Content-Type: application/json", "-d", net, url + "/api/v1/networks");
        assertThat(status(noToken)).isEqualTo(403);
        assertThat(noToken.out()).contains("CSRFPreventionToken");
        var wrong = curl(
                "-b",
                jar.toString(),
                "-H",
                "CSRFPreventionToken: 1:x",
                "-H",
                "Content-Type: application/json",
                "-d",
                net,
                url + "/api/v1/networks");
        assertThat(status(wrong)).isEqualTo(403);
        var ok = curl(
                "-b",
                jar.toString(),
                "-H",
                "CSRFPreventionToken: " + csrf,
                "-H",
                "Content-Type: application/json",
                "-d",
                net,
                url + "/api/v1/networks");
        assertThat(status(ok)).as(ok.out()).isEqualTo(201);
        // A network alice made is one the audit log names her for, with its result.
        var audit = root("GET", "/api/v1/audit?user=alice", null);
        assertThat(audit.toString())
                .contains("\"verb\":\"POST\",\"path\":\"/api/v1/networks\",\"project\":null,\"status\":201");
        assertThat(audit.toString()).contains("\"status\":403");
        root("DELETE", "/api/v1/networks/csrf1", null);
        assertThat(root("GET", "/api/v1/audit?user=root", null).toString())
                .contains("\"verb\":\"DELETE\",\"path\":\"/api/v1/networks/csrf1\",\"project\":null,\"status\":204");
    }

    @Test
    void aTicketSignedLongAgoIsRefused() throws Exception {
        byte[] key = HexFormat.of()
                .parseHex(Files.readString(daemon.dataDir().resolve("access/ticket.key"))
                        .strip());
        String stamp = Long.toHexString(Instant.now().minus(Duration.ofHours(3)).getEpochSecond())
                .toUpperCase(Locale.ROOT);
        String body = "VSL1:alice:" + stamp;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String sig = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(("ticket:" + body).getBytes(StandardCharsets.UTF_8)));
        var expired = curl("-H", "Authorization: Bearer " + body + "::" + sig, url + "/api/v1/instances");
        assertThat(status(expired)).isEqualTo(401);
        assertThat(expired.out()).contains("expired");
        // the same signature scheme with a fresh time is accepted: the refusal above is the age
        String fresh =
                "VSL1:alice:" + Long.toHexString(Instant.now().getEpochSecond()).toUpperCase(Locale.ROOT);
        String freshSig = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(("ticket:" + fresh).getBytes(StandardCharsets.UTF_8)));
        assertThat(status(curl("-H", "Authorization: Bearer " + fresh + "::" + freshSig, url + "/api/v1/instances")))
                .isEqualTo(200);
    }

    @Test
    void aTokenNeverHasMoreThanItsUser() throws Exception {
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/\",\"principal\":\"bob\",\"role\":\"Auditor\"}");
        var made = root("POST", "/api/v1/access/users/bob/tokens", "{\"id\":\"ci\"}");
        String token = made.path("value").asText();
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/\",\"principal\":\"bob!ci\",\"role\":\"Administrator\"}");
        String auth = "Authorization: Bearer " + token;
        assertThat(status(curl("-H", auth, url + "/api/v1/host"))).isEqualTo(200);
        var create = curl(
                "-H",
                auth,
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"name\":\"tok1\",\"subnet\":\"10.203.0.0/24\"}",
                url + "/api/v1/networks");
        assertThat(status(create)).isEqualTo(403);
        var more = curl(
                "-H",
                auth,
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"id\":\"second\"}",
                url + "/api/v1/access/users/bob/tokens");
        assertThat(status(more)).isEqualTo(403);
        assertThat(root("GET", "/api/v1/access/users/bob/tokens", null).toString())
                .doesNotContain(made.path("secret").asText());
        assertThat(Files.readString(daemon.dataDir().resolve("access/access.json")))
                .doesNotContain(made.path("secret").asText())
                .doesNotContain("bob-password");
        assertThat(Files.readString(daemon.log()))
                .doesNotContain(made.path("secret").asText())
                .doesNotContain("bob-password");
    }

    @Test
    void aTrustedClientCertificateLogsInAsItsUserAndAnUntrustedOneDoesNot() throws Exception {
        for (String who : List.of("laptop", "stranger")) {
            var made = run(
                    List.of(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "ec",
                            "-pkeyopt",
                            "ec_paramgen_curve:P-256",
                            "-nodes",
                            "-subj",
                            "/CN=" + who,
                            "-days",
                            "2",
                            "-keyout",
                            work.resolve(who + ".key").toString(),
                            "-out",
                            work.resolve(who + ".crt").toString()),
                    null);
            assertThat(made.code()).as(made.err()).isZero();
        }
        String pem = Files.readString(work.resolve("laptop.crt"));
        var trusted = root(
                "POST",
                "/api/v1/access/certificates",
                Json.write(java.util.Map.of("name", "laptop", "certificate", pem, "user", "alice")));
        var fp = run(
                List.of(
                        "openssl",
                        "x509",
                        "-noout",
                        "-fingerprint",
                        "-sha256",
                        "-in",
                        work.resolve("laptop.crt").toString()),
                null);
        assertThat(trusted.path("fingerprint").asText())
                .isEqualTo(fp.out().strip().substring(fp.out().indexOf('=') + 1));
        var me = curl(
                "--cert",
                work.resolve("laptop.crt").toString(),
                "--key",
                work.resolve("laptop.key").toString(),
                url + "/api/v1/access/whoami");
        assertThat(status(me)).isEqualTo(200);
        assertThat(body(me).path("name").asText()).isEqualTo("alice");
        assertThat(body(me).path("method").asText()).isEqualTo("certificate");
        var stranger = curl(
                "--cert",
                work.resolve("stranger.crt").toString(),
                "--key",
                work.resolve("stranger.key").toString(),
                url + "/api/v1/instances");
        assertThat(status(stranger)).isEqualTo(401);
        assertThat(stranger.out()).contains("is not trusted");
        // open routes still answer a client with an untrusted certificate, and one without any
        assertThat(status(curl(
                        "--cert",
                        work.resolve("stranger.crt").toString(),
                        "--key",
                        work.resolve("stranger.key").toString(),
                        url + "/api/v1/version")))
                .isEqualTo(200);
        root("DELETE", "/api/v1/access/certificates/laptop", null);
        assertThat(status(curl(
                        "--cert",
                        work.resolve("laptop.crt").toString(),
                        "--key",
                        work.resolve("laptop.key").toString(),
                        url + "/api/v1/access/whoami")))
                .isEqualTo(401);
    }

    @Test
    void joiningANetworkNeedsNetworkUseOnIt() throws Exception {
        root("POST", "/api/v1/access/users", "{\"name\":\"erin\",\"password\":\"erin-password\"}");
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/vms\",\"principal\":\"erin\",\"role\":\"Administrator\"}");
        String token = root("POST", "/api/v1/access/users/erin/tokens", "{\"id\":\"t\",\"privsep\":false}")
                .path("value")
                .asText();
        String vm = "{\"name\":\"vm-net\",\"image\":\"none\",\"memory\":\"64M\",\"networks\":[{\"network\":\"lab\"}]}";
        var refused = curl(
                "-H",
                "Authorization: Bearer " + token,
                "-H",
                "Content-Type: application/json",
                "-d",
                vm,
                url + "/api/v1/vms");
        assertThat(status(refused)).isEqualTo(403);
        assertThat(refused.out()).contains("erin!t lacks Network.Use on /networks/lab");
        assertThat(root("GET", "/api/v1/instances", null).toString()).doesNotContain("vm-net");
        // the event stream shows erin only what she may see: VMs' events, none of the node's own
        root("POST", "/api/v1/networks", "{\"name\":\"ev1\",\"subnet\":\"10.204.0.0/24\"}");
        var events = curl("-H", "Authorization: Bearer " + token, url + "/api/v1/events?since=0");
        assertThat(status(events)).isEqualTo(200);
        body(events).forEach(e -> assertThat(e.path("kind").asText()).isIn("vm", "container"));
        assertThat(root("GET", "/api/v1/events?since=0", null).toString()).contains("\"name\":\"ev1\"");
        root("DELETE", "/api/v1/networks/ev1", null);
    }

    @Test
    void failedLoginsAreThrottledAndUnknownUsersLookLikeWrongPasswords() throws Exception {
        var unknown = curl(
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"username\":\"nobody\",\"password\":\"x\"}",
                url + "/api/v1/access/ticket");
        var wrong = curl(
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"username\":\"carol\",\"password\":\"x\"}",
                url + "/api/v1/access/ticket");
        assertThat(status(unknown)).isEqualTo(401);
        assertThat(body(unknown).path("detail")).isEqualTo(body(wrong).path("detail"));
        root("POST", "/api/v1/access/users", "{\"name\":\"dave\",\"password\":\"dave-password\"}");
        for (int i = 0; i < 5; i++) {
            curl(
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    "{\"username\":\"dave\",\"password\":\"guess" + i + "\"}",
                    url + "/api/v1/access/ticket");
        }
        var right = curl(
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"username\":\"dave\",\"password\":\"dave-password\"}",
                url + "/api/v1/access/ticket");
        assertThat(status(right)).isEqualTo(429);
        assertThat(right.out()).contains("too many failed logins");
    }

    @Test
    void aThousandMalformedCredentialsGet400Or401AndChangeNothing() throws Exception {
        byte[] before = MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(daemon.dataDir().resolve("access/access.json")));
        var rnd = new java.util.Random(13);
        List<String> shapes = List.of(
                "Bearer ",
                "Bearer VSL1:",
                "Bearer VSL1:root:0::",
                "Bearer VSL1:alice:FFFFFFFFFFFF::AAAA",
                "Basic YWxpY2U6eA==",
                "Bearer alice!",
                "Bearer alice!ci=",
                "Bearer !=",
                "Bearer root",
                "bearer VSL1:alice",
                "Negotiate x",
                "Bearer " + "A".repeat(600),
                "Bearer alice!ci=" + "0".repeat(48),
                "Bearer VSL1:alice:1::" + "=".repeat(44));
        // One curl config with a thousand requests: one process, many connections' worth of headers.
        var cfg = new StringBuilder();
        String ca = daemon.dataDir().resolve("tls/ca.crt").toString();
        for (int i = 0; i < 1000; i++) {
            cfg.append("cacert = \"").append(ca).append("\"\n");
            String shape = shapes.get(i % shapes.size());
            String noise = Long.toHexString(rnd.nextLong());
            cfg.append("url = \"")
                    .append(url)
                    .append(i % 2 == 0 ? "/api/v1/instances" : "/api/v1/networks")
                    .append("\"\n");
            if (i % 3 == 0) {
                cfg.append("header = \"Cookie: VesselAuthCookie=VSL1:alice:")
                        .append(noise)
                        .append("::")
                        .append(noise)
                        .append("\"\n");
            } else {
                cfg.append("header = \"Authorization: ")
                        .append(shape)
                        .append(i % 5 == 0 ? noise : "")
                        .append("\"\n");
            }
            if (i % 4 == 0) {
                cfg.append("request = \"DELETE\"\n");
            }
            cfg.append("output = \"/dev/null\"\nwrite-out = \"%{http_code}\\n\"\n");
            // curl applies a config's options to every URL unless "next" starts a new set
            cfg.append("next\n");
        }
        Path config = work.resolve("fuzz.curl");
        Files.writeString(config, cfg.toString());
        var out = run(
                List.of(
                        "curl",
                        "-sS",
                        "--cacert",
                        daemon.dataDir().resolve("tls/ca.crt").toString(),
                        "-K",
                        config.toString()),
                null);
        var codes = out.out().strip().lines().toList();
        assertThat(codes).hasSize(1000);
        assertThat(codes).allMatch(c -> c.equals("400") || c.equals("401"), "only 400 and 401");
        byte[] after = MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(daemon.dataDir().resolve("access/access.json")));
        assertThat(after).isEqualTo(before);
        assertThat(root("GET", "/api/v1/instances", null).size()).isZero();
    }
}
