package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.VmCreateRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a VM from an image, or from kernel/initrd/disk files.",
            "  vessel vm create web --image tiny --memory 256M --cpus 1",
            "  vessel vm create web --image tiny --network default --network lab,ip=10.89.0.10 -p 8080:80",
            "  vessel vm create quiet --image tiny --network none",
            "  vessel vm create k --kernel /boot/vmlinuz --initrd /boot/initrd.img --append 'console=ttyS0'",
            "  vessel vm create desk --os win11 --disk 64G --memory 4G --cpus 2",
            "  vessel vm create efi --firmware uefi --tpm --disk 8G"
        })
final class VmCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "VM name: lower-case letters, digits and '-'.")
    String name;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Image to create it from (see `vessel image ls`).")
    String image;

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Guest RAM, e.g. 256M or 1G (default 256M).")
    String memory;

    @Option(
            names = {"-c", "--cpus"},
            paramLabel = "N",
            description = "vCPUs (default 1).")
    Integer cpus;

    @Option(
            names = "--accel",
            paramLabel = "MODE",
            description = "auto, kvm or tcg (default auto: KVM where a probe proves it works).")
    String accel;

    @Option(
            names = "--stop-timeout",
            paramLabel = "SECONDS",
            description = "How long `stop` waits for an ACPI shutdown (default 60).")
    Integer stopTimeout;

    @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel to boot directly.")
    String kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd for --kernel.")
    String initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line for --kernel.")
    String cmdline;

    @Option(
            names = "--disk",
            paramLabel = "FILE[:FORMAT]|SIZE",
            description = "A disk image (qcow2 or raw) to copy in, or a blank disk of SIZE (e.g. 64G); repeatable.")
    List<String> disks = new ArrayList<>();

    @Option(
            names = "--ready-marker",
            paramLabel = "TEXT",
            description = "A line the guest prints on its serial console when it is up.")
    String readyMarker;

    @Option(
            names = "--cloud-init",
            paramLabel = "FILE",
            description = "cloud-init user-data for a NoCloud seed (a CD-ROM labelled cidata).")
    java.nio.file.Path cloudInit;

    @Option(names = "--network-config", paramLabel = "FILE", description = "cloud-init network-config for the seed.")
    java.nio.file.Path networkConfig;

    @Option(names = "--user", paramLabel = "NAME", description = "cloud-init: create this user (with sudo).")
    String user;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "cloud-init: the user's password (stored hashed).")
    String password;

    @Option(
            names = "--ssh-key",
            paramLabel = "KEY|@FILE",
            description = "cloud-init: an authorized SSH public key, or @FILE; repeatable.")
    List<String> sshKeys = new ArrayList<>();

    @Option(
            names = "--network",
            paramLabel = "NAME[,ip=IP]",
            description =
                    "A NIC on this network, with a static address if given; repeatable (eth0 first). Default: the default network; none for no NIC.")
    List<String> networks = new ArrayList<>();

    @Option(
            names = {"-p", "--publish"},
            paramLabel = "[HOST_IP:]HOST_PORT:PORT[/PROTO]",
            description = "Publish a port of the VM on the host (tcp by default, or udp); repeatable.")
    List<String> ports = new ArrayList<>();

    @Option(
            names = "--display",
            paramLabel = "none|std|virtio",
            description = "A graphics card with a VNC screen for the web UI's console (default none: serial only).")
    String display;

    @Option(
            names = "--os",
            paramLabel = "PROFILE",
            description =
                    "linux (default), win10, win11, win2019, win2022 or win2025: picks firmware, TPM and devices.")
    String os;

    @Option(
            names = "--firmware",
            paramLabel = "bios|uefi|uefi-secure",
            description = "SeaBIOS, or OVMF without or with Secure Boot (default: the OS profile's).")
    String firmware;

    @Option(
            names = "--tpm",
            negatable = true,
            description = "A TPM 2.0 (swtpm in the VM's container); default: on for win11, win2022, win2025.")
    Boolean tpm;

    @Option(
            names = "--vars-template",
            paramLabel = "FILE",
            description = "UEFI variables to start from instead of Debian's (e.g. with newer Secure Boot keys).")
    String varsTemplate;

    @Option(
            names = "--cdrom",
            paramLabel = "ISO|IMAGE",
            description = "A CD-ROM with an ISO file or ISO image in it (an installer); repeatable.")
    List<String> cdroms = new ArrayList<>();

    @Option(
            names = "--drivers",
            paramLabel = "ISO|IMAGE",
            description = "A second CD with drivers, e.g. virtio-win.iso (which you supply).")
    String drivers;

    @Option(
            names = "--boot-order",
            paramLabel = "LIST",
            description = "The firmware's boot order of disk, cdrom and net, e.g. cdrom,disk (default disk,cdrom).")
    String bootOrder;

    @Option(
            names = "--unattend",
            paramLabel = "user=U,password-file=F|password=P[,locale=L][,key=K][,timezone=TZ]",
            description = "An unattended Windows setup (a setup image on a USB stick). Prefer password-file= over"
                    + " password=, which other users of this host can see in the process list.")
    String unattend;

    @Option(names = "--start", description = "Start it right away.")
    boolean start;

    @Option(names = "--wait", description = "With --start: return when the guest is ready (see vm start --wait).")
    boolean await;

    @Option(
            names = "--wait-port",
            paramLabel = "PORT",
            description = "With --start --wait: wait until this TCP port of the guest answers.")
    Integer waitPort;

    @Override
    public Integer call() {
        var diskRequests = disks.isEmpty()
                ? null
                : disks.stream().map(VmCreateCommand::disk).toList();
        var request = new VmCreateRequest(
                name,
                image,
                memory,
                cpus,
                accel,
                stopTimeout,
                kernel == null ? null : absolute(kernel),
                initrd == null ? null : absolute(initrd),
                cmdline,
                diskRequests,
                readyMarker,
                CloudInitOptions.request(cloudInit, networkConfig, user, password, sshKeys),
                NetworkOptions.nics(networks),
                NetworkOptions.ports(ports),
                display,
                os,
                firmware,
                tpm,
                varsTemplate == null ? null : absolute(varsTemplate),
                cdroms.isEmpty()
                        ? null
                        : cdroms.stream().map(VmCreateCommand::media).toList(),
                drivers == null ? null : media(drivers),
                bootOrder,
                unattend == null ? null : UnattendOptions.parse(unattend));
        var vm = api().send("/api/v1/vms", request);
        if (start) {
            var task = api().post(
                            "/api/v1/instances/" + Api.enc(name) + "/start"
                                    + (await ? "?wait=true" + (waitPort == null ? "" : "&waitPort=" + waitPort) : ""),
                            (JsonNode) null);
            TaskWaiter.await(api(), task, err(), json());
            vm = api().get("/api/v1/instances/" + Api.enc(name));
        }
        if (json()) {
            Output.json(out(), vm);
        } else {
            out().println(vm.path("name").asText() + " " + vm.path("status").asText() + " (id "
                    + vm.path("id").asText() + ")");
        }
        return ExitCodes.OK;
    }

    /** An image name as it is; a file (it has a slash, or exists here) as an absolute path. */
    static String media(String m) {
        return m.contains("/") || java.nio.file.Files.exists(java.nio.file.Path.of(m)) ? absolute(m) : m;
    }

    /** A file of the client's, as the daemon (on the same host) must name it: relative to the client's directory. */
    private static String absolute(String p) {
        return CliContext.current().absolute(java.nio.file.Path.of(p)).toString();
    }

    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)?[KMGT](i?B)?", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** {@code FILE}, {@code FILE:FORMAT}, or {@code SIZE} for a blank disk (when no file of that name exists). */
    private static VmCreateRequest.DiskRequest disk(String d) {
        if (SIZE.matcher(d).matches() && !java.nio.file.Files.exists(java.nio.file.Path.of(absolute(d)))) {
            return new VmCreateRequest.DiskRequest(null, null, d);
        }
        int colon = d.lastIndexOf(':');
        return colon > 0 && !d.substring(colon + 1).contains("/")
                ? new VmCreateRequest.DiskRequest(absolute(d.substring(0, colon)), d.substring(colon + 1))
                : new VmCreateRequest.DiskRequest(absolute(d), null);
    }
}
