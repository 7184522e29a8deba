package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.access.AccessModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel trust}: client certificates that log in as a user (mTLS, as Incus's trust store). */
@Command(
        name = "trust",
        mixinStandardHelpOptions = true,
        description = "Manage client certificates that log in as a user over TLS (no ticket or token needed).",
        subcommands = {TrustCommand.Add.class, TrustCommand.Ls.class, TrustCommand.Rm.class})
final class TrustCommand {
    private TrustCommand() {}

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Trust a client certificate (PEM) to log in as USER; the ACL applies as to the user.",
                "  vessel trust add laptop client.crt --user alice"
            })
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "CERT.pem")
        Path file;

        @Option(names = "--user", required = true, paramLabel = "USER")
        String user;

        @Override
        public Integer call() {
            String pem;
            try {
                pem = Files.readString(CliContext.current().absolute(file));
            } catch (IOException e) {
                throw new CliError(ExitCodes.INVALID, "cannot read " + file + ": " + e.getMessage());
            }
            var t = api().send("/api/v1/access/certificates", new AccessModel.TrustRequest(name, pem, user));
            if (json()) {
                Output.json(out(), t);
            } else {
                out().println(name + " " + t.path("fingerprint").asText() + " logs in as " + user);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List trusted client certificates.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/access/certificates");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode c : list) {
                rows.add(List.of(
                        c.path("name").asText(),
                        c.path("user").asText(),
                        c.path("fingerprint").asText().substring(0, 23) + "…",
                        c.path("notAfter").asText(),
                        c.path("subject").asText()));
            }
            Output.table(out(), List.of("NAME", "USER", "FINGERPRINT", "NOT AFTER", "SUBJECT"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Stop trusting a client certificate.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            api().delete("/api/v1/access/certificates/" + Api.enc(name));
            out().println(name);
            return ExitCodes.OK;
        }
    }
}
