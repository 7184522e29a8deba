package dev.vessel.cli;

import dev.vessel.access.tls.NodeCertificates;
import dev.vessel.http.ApiClient;
import dev.vessel.http.PinnedTrust;
import dev.vessel.model.access.AccessModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "remote",
        mixinStandardHelpOptions = true,
        description = "Manage the remote daemons this client talks to with -H NAME.",
        subcommands = {
            RemoteCommand.Add.class,
            RemoteCommand.Ls.class,
            RemoteCommand.Rm.class,
            RemoteCommand.ClientCert.class
        })
final class RemoteCommand {
    private RemoteCommand() {}

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Add a remote daemon: shows its certificate's fingerprint and asks before trusting it (trust on first use).",
                "The remote keeps the API token given with --token (or VESSEL_TOKEN), or one made by logging in with --user.",
                "  vessel remote add lab https://10.0.0.5:8443 --token alice!cli=SECRET",
                "  echo \"$PW\" | vessel remote add lab https://10.0.0.5:8443 --user alice --password-stdin --accept-certificate"
            })
    static final class Add extends ApiCommand implements LocalCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL", description = "https://HOST:PORT")
        String url;

        @Option(names = "--accept-certificate", description = "Trust the certificate without asking.")
        boolean accept;

        @Option(
                names = "--user",
                paramLabel = "USER",
                description = "Log in as USER and make an API token for this client.")
        String user;

        @Option(names = "--password-stdin", description = "Read --user's password from standard input.")
        boolean passwordStdin;

        @Override
        public boolean runsLocally() {
            return true;
        }

        @Override
        public Integer call() {
            if (!Remotes.NAME.matcher(name).matches()) {
                throw new CliError(
                        ExitCodes.INVALID,
                        "'" + name + "' is not a remote name (a letter, then letters, digits, '_', '.', '-')");
            }
            if (!url.startsWith("https://")) {
                throw new CliError(ExitCodes.INVALID, "'" + url + "' is not an https:// URL (remotes speak TLS only)");
            }
            var root = (VesselCli) spec.root().userObject();
            String token =
                    root.token != null ? root.token : CliContext.current().env("VESSEL_TOKEN");
            if (token != null && user != null) {
                throw new CliError(ExitCodes.USAGE, "--token and --user exclude each other");
            }
            var remotes = Remotes.all();
            if (remotes.containsKey(name)) {
                throw new CliError(
                        ExitCodes.CONFLICT,
                        "remote '" + name + "' exists; remove it first (vessel remote rm " + name + ")");
            }
            var seen = new AtomicReference<List<X509Certificate>>();
            var probe = new ApiClient(url, null, PinnedTrust.firstContact(seen));
            var version = new Api(probe).get("/api/v1/version");
            List<X509Certificate> chain = seen.get();
            if (chain == null || chain.isEmpty()) {
                throw new CliError(ExitCodes.FAILED, url + " showed no certificate");
            }
            X509Certificate leaf = chain.getFirst();
            X509Certificate ca = chain.getLast();
            String fp = PinnedTrust.fingerprint(leaf);
            err().println("Certificate of " + url + ": "
                    + leaf.getSubjectX500Principal().getName());
            err().println("  issued by " + ca.getSubjectX500Principal().getName());
            err().println("  SHA-256 fingerprint " + fp);
            if (!accept && !ask("Trust this certificate? [y/N] ")) {
                err().println("vessel: not added");
                return ExitCodes.FAILED;
            }
            var trust = PinnedTrust.trusting(ca);
            String t = token;
            if (user != null) {
                t = makeToken(trust);
            }
            String pem;
            try {
                pem = NodeCertificates.pem(ca);
            } catch (IOException e) {
                throw new CliError(ExitCodes.FAILED, "cannot write the CA certificate: " + e.getMessage());
            }
            remotes.put(name, new Remotes.Remote(name, url, pem, fp, t));
            Remotes.save(remotes);
            out().println("Remote " + name + " added: " + url + " (Vessel "
                    + version.path("version").asText() + ")");
            if (t == null) {
                var me = Remotes.identity();
                out().println("No token: this client logs in with its certificate once an administrator of " + name
                        + " trusts it:");
                out().println("  vessel trust add NAME " + me.certificateFile() + " --user USER");
                out().println("  (SHA-256 fingerprint " + me.fingerprint() + "; or give a token with --token)");
            }
            return ExitCodes.OK;
        }

        private boolean ask(String question) {
            err().print(question);
            err().flush();
            try {
                String line = new BufferedReader(
                                new InputStreamReader(CliContext.current().in(), StandardCharsets.UTF_8))
                        .readLine();
                return line != null
                        && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
            } catch (IOException e) {
                return false;
            }
        }

        /** Logs in as --user and makes an API token named for this client, which the remote entry keeps. */
        private String makeToken(javax.net.ssl.SSLContext trust) {
            if (!passwordStdin) {
                throw new CliError(ExitCodes.USAGE, "--user needs --password-stdin");
            }
            String pw = UserCommand.password(true, null);
            var anon = new Api(new ApiClient(url, null, trust));
            var ticket = anon.send("/api/v1/access/ticket", new AccessModel.TicketRequest(user, pw));
            var asUser = new Api(new ApiClient(url, ticket.path("ticket").asText(), trust));
            String id = "cli-" + Long.toString(System.currentTimeMillis() / 1000, 36);
            var made = asUser.send(
                    "/api/v1/access/users/" + Api.enc(user) + "/tokens",
                    new AccessModel.TokenCreateRequest(id, false, null, "vessel remote add " + name));
            err().println("Made API token " + made.path("tokenId").asText() + " for this client");
            return made.path("value").asText();
        }
    }

    @Command(
            name = "client-cert",
            mixinStandardHelpOptions = true,
            description = {
                "Print this client's certificate (made on first use), for an administrator's vessel trust add.",
                "  vessel remote client-cert > laptop.crt"
            })
    static final class ClientCert extends ApiCommand implements LocalCall {
        @Override
        public boolean runsLocally() {
            return true;
        }

        @Override
        public Integer call() {
            var me = Remotes.identity();
            try {
                out().print(NodeCertificates.pem(me.certificate()));
            } catch (IOException e) {
                throw new CliError(ExitCodes.FAILED, "cannot write the certificate: " + e.getMessage());
            }
            err().println(me.certificateFile() + ": SHA-256 fingerprint " + me.fingerprint());
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the remotes.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            var remotes = Remotes.all();
            if (json()) {
                var arr = Api.object().arrayNode();
                remotes.values()
                        .forEach(r -> arr.addObject()
                                .put("name", r.name())
                                .put("url", r.url())
                                .put("fingerprint", r.fingerprint())
                                .put(
                                        "token",
                                        r.token() == null
                                                ? null
                                                : r.token()
                                                        .substring(
                                                                0,
                                                                r.token().indexOf('=') < 0
                                                                        ? 0
                                                                        : r.token()
                                                                                .indexOf('='))));
                Output.json(out(), arr);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (var r : remotes.values()) {
                String tok = r.token() == null
                        ? "-"
                        : r.token().substring(0, Math.max(0, r.token().indexOf('=')));
                rows.add(List.of(r.name(), r.url(), tok, r.fingerprint().substring(0, 23) + "…"));
            }
            Output.table(out(), List.of("NAME", "URL", "TOKEN", "FINGERPRINT"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Forget a remote (its token stays valid on the remote).")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Map<String, Remotes.Remote> remotes = Remotes.all();
            if (remotes.remove(name) == null) {
                throw new CliError(ExitCodes.NOT_FOUND, "no remote '" + name + "'");
            }
            Remotes.save(remotes);
            out().println(name);
            return ExitCodes.OK;
        }
    }
}
