package dev.vessel.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The local terminal: whether there is one, raw mode for a container's terminal, and its size. */
final class Terminal {
    private Terminal() {}

    static boolean isTty() {
        return CliContext.current().terminal();
    }

    static void raw() {
        stty("raw", "-echo");
    }

    static void restore() {
        stty("sane");
    }

    /** {rows, cols}, or null when unknown. */
    static int[] size() {
        try {
            var p = new ProcessBuilder("/bin/stty", "size")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            String[] f = out.split("\\s+");
            if (f.length != 2) {
                return null;
            }
            int rows = Integer.parseInt(f[0]);
            int cols = Integer.parseInt(f[1]);
            return rows > 0 && cols > 0 ? new int[] {rows, cols} : null; // a pty nobody sized says 0 0
        } catch (IOException | NumberFormatException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void stty(String... args) {
        var cmd = new ArrayList<>(List.of("/bin/stty"));
        cmd.addAll(List.of(args));
        try {
            new ProcessBuilder(cmd)
                    .inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "cannot set the terminal mode: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
