package dev.vessel.dist;

import dev.vessel.cli.CliRelay;
import dev.vessel.cli.VesselCli;
import dev.vessel.daemon.DaemonMain;
import java.util.Arrays;

/** The one {@code vessel} binary: {@code vessel daemon} runs the daemon, everything else is the CLI. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws java.io.IOException {
        if (args.length > 0 && args[0].equals("daemon")) {
            int rc = DaemonMain.run(Arrays.copyOfRange(args, 1, args.length), java.util.List.of(new CliRelay()));
            if (rc != 0) {
                System.exit(rc);
            }
            return;
        }
        if (args.length == 1 && args[0].equals("--cli-training")) { // scripts/build: the CLI's class-data archive
            CliTraining.main(args);
            return;
        }
        System.exit(VesselCli.run(args, System.out, System.err));
    }
}
