package dev.vessel.model;

import java.util.List;

/**
 * The body of {@code POST /api/v1/containers}, in {@code docker run}'s terms.
 *
 * @param name null for a generated one
 * @param entrypoint replaces the image's Entrypoint (an empty list clears it)
 * @param command replaces the image's Cmd
 * @param env {@code KEY=VALUE} entries
 * @param tmpfs {@code /path[:opt,opt...]}
 * @param volumes {@code /host/path:/path[:ro]} (a bind) or {@code name:/path[:ro]} (a named volume)
 * @param memory a size such as {@code 64M}
 * @param restart {@code no}, {@code on-failure[:N]}, {@code always} or {@code unless-stopped}
 * @param network null for the default network, {@code none}, {@code host}, or a managed network's name
 * @param autoRemove remove the container when its process ends ({@code --rm})
 * @param ports published ports ({@code -p}), {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} each
 * @param securityOpt Docker's {@code --security-opt}: {@code no-new-privileges[:true|false]}
 * @param userns podman's {@code --userns}: null or {@code host} for the host's user namespace, {@code auto} for one of
 *     the container's own over a range of 65536 host ids
 * @param labels {@code --label KEY=VALUE}, kept verbatim
 */
public record ContainerCreateRequest(
        String name,
        String image,
        List<String> entrypoint,
        List<String> command,
        List<String> env,
        String workdir,
        String user,
        String hostname,
        Boolean readOnly,
        List<String> tmpfs,
        List<String> volumes,
        String memory,
        Double cpus,
        Long pidsLimit,
        String restart,
        String network,
        Boolean tty,
        Boolean interactive,
        Boolean autoRemove,
        Integer stopTimeout,
        String stopSignal,
        List<String> ports,
        List<String> securityOpt,
        String userns,
        java.util.Map<String, String> labels) {}
