package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VesselCliTest {
    private final PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void everyTopLevelCommandIsRegisteredUnderItsOwnName() {
        for (var e : VesselCli.COMMANDS.entrySet()) {
            var spec = new CommandLine(e.getValue()).getCommandSpec();
            assertThat(spec.name())
                    .as("the command registered as %s", e.getKey())
                    .isEqualTo(e.getKey());
            assertThat(spec.aliases())
                    .as("aliases of %s would not be found by the lazy tree", e.getKey())
                    .isEmpty();
        }
    }

    @Test
    void theFirstCommandIsFoundPastTheGlobalOptions() {
        assertThat(VesselCli.firstCommand(new String[] {"ps"})).isEqualTo("ps");
        assertThat(VesselCli.firstCommand(new String[] {"-H", "unix:///x", "--token", "t", "run", "--rm", "img"}))
                .isEqualTo("run");
        assertThat(VesselCli.firstCommand(new String[] {"--host=tcp://h:1", "-Hunix:///y", "vm", "ls"}))
                .isEqualTo("vm");
        assertThat(VesselCli.firstCommand(new String[] {"--version"})).isNull();
        assertThat(VesselCli.firstCommand(new String[] {"-h", "vm"})).isNull();
        assertThat(VesselCli.firstCommand(new String[] {})).isNull();
        assertThat(VesselCli.firstCommand(new String[] {"-H"})).isNull();
    }

    @Test
    void aKnownCommandBuildsOnlyItsBranchAndAnythingElseTheWholeTree() {
        assertThat(VesselCli.commandLine(new String[] {"-H", "unix:///x", "run", "img", "-it"}, sink, sink)
                        .getSubcommands())
                .containsOnlyKeys("run");
        assertThat(VesselCli.commandLine(new String[] {"container", "exec", "c", "ls"}, sink, sink)
                        .getSubcommands()
                        .get("container")
                        .getSubcommands()
                        .get("exec")
                        .isStopAtPositional())
                .isTrue();
        var all = VesselCli.COMMANDS.keySet().toArray(String[]::new);
        assertThat(VesselCli.commandLine(new String[] {"help", "vm"}, sink, sink)
                        .getSubcommands())
                .containsOnlyKeys(all);
        assertThat(VesselCli.commandLine(new String[] {"completion"}, sink, sink)
                        .getSubcommands())
                .containsOnlyKeys(all);
        assertThat(VesselCli.commandLine(new String[] {"--help"}, sink, sink).getSubcommands())
                .containsOnlyKeys(all);
        assertThat(VesselCli.commandLine(new String[] {"vmm", "ls"}, sink, sink).getSubcommands())
                .containsOnlyKeys(all);
    }

    @Test
    void anUnknownCommandIsAUsageErrorThatSuggestsTheRealOne() {
        var err = new ByteArrayOutputStream();
        int code = VesselCli.run(new String[] {"vmm", "ls"}, sink, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vmm").contains("vm");
    }

    @Test
    void everyCommandsFirstDescriptionLineIsAWholeSentence() {
        // the parent's command list shows only the first line: it must not stop mid-sentence
        var sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        var all = VesselCli.commandLine(new String[] {"--help"}, sink, sink);
        var todo = new java.util.ArrayDeque<CommandLine>(all.getSubcommands().values());
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            String[] d = c.getCommandSpec().usageMessage().description();
            if (d.length == 0 || c.getCommandSpec().name().equals("help")) {
                continue;
            }
            assertThat(d[0].strip())
                    .as("first description line of %s", c.getCommandSpec().qualifiedName())
                    .matches("(?s).*[.)!:]$");
        }
    }
}
