package dev.vessel.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that talks to the daemon and prints a table or JSON. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).",
            defaultValue = "table")
    Output.Format output;

    Api api() {
        return ((VesselCli) spec.root().userObject()).api();
    }

    PrintStream out() {
        return new PrintStream(new WriterStream(spec.commandLine().getOut()), true);
    }

    PrintStream err() {
        return new PrintStream(new WriterStream(spec.commandLine().getErr()), true);
    }

    boolean json() {
        return output == Output.Format.json;
    }

    /** Adapts picocli's writers so that commands print through the streams tests capture. */
    private static final class WriterStream extends java.io.OutputStream {
        private final java.io.PrintWriter w;

        WriterStream(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
