package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.ImageRequest;
import dev.vessel.model.TagRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * OCI images beside VM images in {@code vessel image}. VM image names are DNS labels; OCI references contain ':' or
 * '/' (or are ids), so a name is a VM image's only when it is a label that the daemon knows as one.
 */
final class OciImageCommands {
    private OciImageCommands() {}

    static boolean isVmImage(Api api, String name) {
        if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            return false;
        }
        try {
            api.get("/api/v1/images/" + Api.enc(name));
            return true;
        } catch (CliError e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Both kinds in one table (one row per OCI reference, as docker images shows), or one JSON array; with
     * {@code projects}, a PROJECT column first.
     */
    static int listBoth(ApiCommand c, JsonNode vm, JsonNode oci, boolean projects) {
        if (c.json()) {
            var all = Api.JSON.createArrayNode();
            vm.forEach(all::add);
            oci.forEach(all::add);
            Output.json(c.out(), all);
            return ExitCodes.OK;
        }
        var rows = new ArrayList<List<String>>();
        for (JsonNode i : vm) {
            rows.add(row(
                    projects,
                    i,
                    i.path("name").asText(),
                    i.path("type").asText(),
                    "-",
                    i.hasNonNull("virtualSizeBytes")
                            ? Output.bytes(i.path("virtualSizeBytes").asLong())
                            : "-",
                    Output.bytes(i.path("sizeBytes").asLong()),
                    Output.ago(i.path("createdAt").asText()) + " ago"));
        }
        for (JsonNode i : oci) {
            String id = i.path("id").asText().substring(7, 19);
            String created =
                    Output.ago(i.path("createdAt").asText(i.path("storedAt").asText())) + " ago";
            if (i.path("references").isEmpty()) {
                rows.add(row(
                        projects,
                        i,
                        "<none>",
                        "oci",
                        id,
                        "-",
                        Output.bytes(i.path("sizeBytes").asLong()),
                        created));
            }
            for (JsonNode r : i.path("references")) {
                rows.add(row(
                        projects,
                        i,
                        r.asText(),
                        "oci",
                        id,
                        "-",
                        Output.bytes(i.path("sizeBytes").asLong()),
                        created));
            }
        }
        // VIRTUAL: a disk's size as the guest sees it; ON DISK: what the files take here (a qcow2 only what was
        // written)
        var headers = new ArrayList<String>();
        if (projects) {
            headers.add("PROJECT");
        }
        headers.addAll(List.of("NAME", "TYPE", "ID", "VIRTUAL", "ON DISK", "CREATED"));
        Output.table(c.out(), headers, rows);
        return ExitCodes.OK;
    }

    private static List<String> row(boolean projects, JsonNode image, String... cells) {
        var out = new ArrayList<String>();
        if (projects) {
            out.add(image.path("project").asText("default"));
        }
        out.addAll(List.of(cells));
        return out;
    }

    static int importRootfs(ApiCommand c, Path file, String ref) {
        var task = c.api()
                .send(
                        "/api/v1/oci-images/import",
                        new ImageRequest(
                                ref, CliContext.current().absolute(file).toString(), null));
        LayerBars.follow(c.api(), task, c.err(), c.json());
        JsonNode img = c.api().get("/api/v1/oci-images/inspect?ref=" + Api.enc(ref));
        if (c.json()) {
            Output.json(c.out(), img);
        } else {
            c.out().println(ref + " " + img.path("id").asText().substring(7, 19));
        }
        return ExitCodes.OK;
    }

    @Command(
            name = "load",
            mixinStandardHelpOptions = true,
            description = {
                "Load OCI images from a docker save archive or an OCI image layout (a tar or a directory) on the daemon's host."
            })
    static final class Load extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @picocli.CommandLine.Option(
                names = {"-n", "--name"},
                paramLabel = "NAME[:TAG]",
                description = {
                    "Name for an image the archive does not name, or names by a tag alone (an OCI layout's ref.name 'latest'",
                    "becomes NAME:latest)."
                })
        String name;

        @Override
        public Integer call() {
            var task = api().send(
                            "/api/v1/oci-images/load",
                            new ImageRequest(
                                    null, CliContext.current().absolute(file).toString(), name));
            JsonNode done = LayerBars.follow(api(), task, err(), json());
            if (json()) {
                Output.json(out(), done);
            } else {
                out().println("Loaded: " + done.path("message").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "tag",
            mixinStandardHelpOptions = true,
            description = "Give an OCI image another name: SOURCE (name or id) as TARGET.")
    static final class Tag extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        @Override
        public Integer call() {
            JsonNode img = api().send("/api/v1/oci-images/tag", new TagRequest(source, target));
            if (json()) {
                Output.json(out(), img);
            } else {
                out().println(target + " -> " + img.path("id").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "untag",
            mixinStandardHelpOptions = true,
            description = {
                "Remove names from an OCI image, keeping the image (unlike rm, which deletes it with its last name)."
            })
    static final class Untag extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        java.util.List<String> names;

        @Override
        public Integer call() {
            JsonNode img = null;
            for (String n : names) {
                img = api().send("/api/v1/oci-images/untag", new ImageRequest(n, null, null));
                if (!json()) {
                    out().println("Untagged: " + n);
                }
            }
            if (json()) {
                Output.json(out(), img);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Delete OCI blobs and layers no image references.")
    static final class Prune extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode r = api().post("/api/v1/oci-images/prune", null);
            if (json()) {
                Output.json(out(), r);
            } else {
                out().println("removed " + r.path("blobsRemoved").asInt() + " blobs and "
                        + r.path("layersRemoved").asInt() + " layers, "
                        + Output.bytes(r.path("bytesFreed").asLong()) + " freed");
            }
            return ExitCodes.OK;
        }
    }
}
