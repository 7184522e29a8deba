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

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "table or json (default: ${DEFAULT-VALUE}).",
            defaultValue = "table")
    Output.Format output;

    Api api() {
        return ((VesselCli) spec.root().userObject()).api();
    }

    PrintStream out() {
        return CliContext.current().out();
    }

    PrintStream err() {
        return CliContext.current().err();
    }

    boolean json() {
        return output == Output.Format.json;
    }
}
