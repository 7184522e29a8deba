package dev.vessel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UiAssetsTest {
    static final String PAGE = "<html><head><script type=\"importmap\">{\"imports\":{\"x\":\"{{base}}x.js\"}}</script>"
            + "<script type=\"module\" src=\"{{base}}main.js\"></script></head></html>";

    static UiAssets ui(String page, String main) {
        return UiAssets.of(Map.of(
                "index.html", page.getBytes(StandardCharsets.UTF_8),
                "main.js", main.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theBuildIsAHashOfTheFilesSoAChangedFileIsANewUrl() {
        var a = ui(PAGE, "console.log(1)");
        var b = ui(PAGE, "console.log(2)");
        assertThat(a.build()).hasSize(12).isNotEqualTo(b.build());
        assertThat(ui(PAGE, "console.log(1)").build()).isEqualTo(a.build());
        assertThat(new String(a.page().body(), StandardCharsets.UTF_8))
                .contains("/ui/" + a.build() + "/main.js")
                .doesNotContain("{{base}}");
    }

    @Test
    void thePolicyAllowsTheImportMapByItsHashAndNoOtherInlineScript() {
        var a = ui(PAGE, "");
        assertThat(a.policy()).contains("script-src 'self' 'sha256-").doesNotContain("unsafe-eval");
        assertThat(a.policy()).contains("frame-ancestors 'none'", "object-src 'none'", "connect-src 'self'");
        assertThatThrownBy(() -> ui(PAGE.replace("</head>", "<script>alert(1)</script></head>"), ""))
                .hasMessageContaining("no inline script");
    }

    @Test
    void textIsGzipdOnceAndTypesFollowTheName() {
        var a = ui(PAGE, "let x = 1;\n".repeat(200));
        var js = a.file("main.js");
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(js.gzip()).isNotNull();
        assertThat(js.gzip().length).isLessThan(js.body().length);
        assertThat(a.file("index.html")).isNull(); // the page is served at /, never under the build
    }

    @Test
    void gzipIsTakenUnlessRefusedWithQZero() {
        assertThat(UiService.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(UiService.acceptsGzip("br;q=1.0, gzip;q=0.5")).isTrue();
        assertThat(UiService.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(UiService.acceptsGzip("identity")).isFalse();
        assertThat(UiService.acceptsGzip("")).isFalse();
    }

    @Test
    void theJarHoldsTheUiAndTheVendorFilesItImports() {
        var a = UiAssets.fromClasspath();
        String page = new String(a.page().body(), StandardCharsets.UTF_8);
        var imports = java.util.regex.Pattern.compile("\"/ui/" + a.build() + "/([^\"]+)\"")
                .matcher(page);
        int n = 0;
        while (imports.find()) {
            String path = imports.group(1);
            if (!path.endsWith("/")) {
                assertThat(a.file(path)).as(path).isNotNull();
            }
            n++;
        }
        assertThat(n).isGreaterThan(8);
        assertThat(a.file("vendor/novnc/core/rfb.js")).isNotNull();
    }
}
