package dev.vessel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tables and JSON for the terminal. */
final class Output {
    private Output() {}

    enum Format {
        table,
        json
    }

    static void json(PrintStream out, JsonNode node) {
        try {
            out.println(
                    Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new CliError(ExitCodes.FAILED, e.getMessage());
        }
    }

    /** Prints rows under headers, each column as wide as its widest cell. */
    static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
        }
        for (var r : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        var all = new ArrayList<List<String>>();
        all.add(headers);
        all.addAll(rows);
        for (var r : all) {
            var sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                String cell = r.get(i);
                sb.append(cell);
                if (i < w.length - 1) {
                    sb.append(" ".repeat(w[i] - cell.length() + 3));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        if (b < 1024) {
            return b + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f%s" : "%.1f%s", v, units[i]);
    }

    /** A time of day in the local zone ("10:08:03"), with the date when it is not today; "-" for none. */
    static String time(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "-";
        }
        var t = Instant.parse(iso).atZone(java.time.ZoneId.systemDefault());
        var today = java.time.LocalDate.now(java.time.ZoneId.systemDefault());
        var clock = t.toLocalTime()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        return t.toLocalDate().equals(today) ? clock : t.toLocalDate() + " " + clock;
    }

    static String ago(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "-";
        }
        return human(Duration.between(Instant.parse(iso), Instant.now()));
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 > 0 ? s % 60 + "s" : "");
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 > 0 ? s % 3600 / 60 + "m" : "");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 > 0 ? s % 86400 / 3600 + "h" : "");
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
