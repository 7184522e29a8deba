package dev.vessel.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.http.Route;
import dev.vessel.http.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml must document every route the server has, and nothing it lacks. */
class OpenApiDocumentTest {
    static Router serverRoutes() {
        // The services only register lambdas here; none of their collaborators is touched.
        return ApiRouter.build(
                new dev.vessel.engine.service.Services(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                null);
    }

    static Set<String> documented() throws IOException {
        var doc = Files.readString(Path.of("../docs/openapi.yaml"));
        var out = new TreeSet<String>();
        String path = null;
        var pathLine = Pattern.compile("^  (/\\S+):\\s*$");
        var methodLine = Pattern.compile("^    (get|post|put|delete|patch):\\s*$");
        for (String line : doc.split("\n")) {
            var p = pathLine.matcher(line);
            if (p.matches()) {
                path = p.group(1);
                continue;
            }
            var m = methodLine.matcher(line);
            if (m.matches() && path != null) {
                out.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return out;
    }

    @Test
    void theDocumentIsValidYamlWithOpenApiPaths() throws IOException {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("../docs/openapi.yaml").toFile());
        org.assertj.core.api.Assertions.assertThat(doc.path("openapi").asText()).startsWith("3.");
        var paths = new TreeSet<String>();
        doc.path("paths")
                .properties()
                .forEach(e -> e.getValue().properties().forEach(m -> {
                    if (Set.of("get", "post", "put", "delete", "patch").contains(m.getKey())) {
                        paths.add(m.getKey().toUpperCase(Locale.ROOT) + " " + e.getKey());
                    }
                }));
        assertThat(paths).isEqualTo(documented());
    }

    @Test
    void everyServerRouteIsInTheDocumentAndViceVersa() throws IOException {
        var routes = new TreeSet<String>();
        for (Route r : serverRoutes().routes()) {
            routes.add(r.method() + " " + r.template());
        }
        assertThat(documented()).as("routes in docs/openapi.yaml").isEqualTo(routes);
    }
}
