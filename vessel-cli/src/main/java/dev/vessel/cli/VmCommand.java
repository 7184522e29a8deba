package dev.vessel.cli;

import picocli.CommandLine.Command;

@Command(
        name = "vm",
        mixinStandardHelpOptions = true,
        description = "Manage virtual machines (each runs as QEMU inside its own container).",
        subcommands = {
            VmCreateCommand.class,
            LifecycleCommands.Start.class,
            LifecycleCommands.Stop.class,
            LifecycleCommands.Kill.class,
            LifecycleCommands.Restart.class,
            LifecycleCommands.Remove.class,
            PsCommand.VmLs.class,
            InspectCommand.VmInspect.class,
            LogsCommand.class,
            ConsoleCommand.class,
            CloneCommands.Template.class,
            CloneCommands.Clone.class,
            NicCommand.class,
            VmSetCommand.class,
            GuestCommands.Info.class,
            GuestCommands.Exec.class,
            CdromCommand.class,
            VncCommand.class
        })
public final class VmCommand {}
