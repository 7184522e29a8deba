package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a caller may do, named as Proxmox VE names its privileges ({@code VM.PowerMgmt}). A role is a set of these;
 * an ACL entry gives a role on a path. Each route of every face declares the one it needs ({@link Need}).
 */
public enum Privilege {
    VM_AUDIT("VM.Audit", "see VMs, their configuration, state, logs and statistics"),
    VM_POWER_MGMT("VM.PowerMgmt", "start, stop, kill and restart VMs"),
    VM_CONSOLE("VM.Console", "use a VM's serial and graphical consoles"),
    VM_CONFIG("VM.Config", "change a VM's hardware: CPUs, memory, disks, NICs"),
    VM_SNAPSHOT("VM.Snapshot", "take, roll back and delete a VM's snapshots"),
    VM_BACKUP("VM.Backup", "back a VM up and restore its backups"),
    VM_CLONE("VM.Clone", "clone a VM or make it a template"),
    VM_ALLOCATE("VM.Allocate", "create and remove VMs"),
    CONTAINER_AUDIT("Container.Audit", "see containers, their configuration, state, logs and statistics"),
    CONTAINER_POWER_MGMT("Container.PowerMgmt", "start, stop, kill and restart containers"),
    CONTAINER_CONSOLE("Container.Console", "attach to containers and run commands in them"),
    CONTAINER_CONFIG("Container.Config", "change a container's volumes and limits"),
    CONTAINER_ALLOCATE("Container.Allocate", "create and remove containers"),
    IMAGE_AUDIT("Image.Audit", "see VM and OCI images"),
    IMAGE_ALLOCATE("Image.Allocate", "pull, load, import, tag, build and remove images"),
    NETWORK_AUDIT("Network.Audit", "see networks and published ports"),
    NETWORK_ALLOCATE("Network.Allocate", "create and remove networks, publish ports"),
    NETWORK_USE("Network.Use", "attach instances to a network"),
    POOL_AUDIT("Pool.Audit", "see storage pools, volumes and backups"),
    POOL_ALLOCATE("Pool.Allocate", "create and remove pools and volumes, delete backups"),
    SYS_AUDIT("Sys.Audit", "see the node, its metrics, every task, the event stream and the audit log"),
    SYS_MODIFY("Sys.Modify", "change the node's settings and registry logins"),
    USER_MODIFY("User.Modify", "add and remove users and their tokens, roles and ACL entries");

    private final String id;
    private final String description;

    Privilege(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The privilege named {@code id} ({@code VM.Audit}), case-insensitively. */
    public static Privilege parse(String id) {
        for (Privilege p : values()) {
            if (p.id.equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw VesselException.invalid(
                "privilege",
                "'" + id + "' is not a privilege; known: "
                        + Arrays.stream(values()).map(Privilege::id).collect(Collectors.joining(", ")));
    }

    /** {@code VM} for VM.Audit: the group a privilege belongs to. */
    public String group() {
        return id.substring(0, id.indexOf('.')).toLowerCase(Locale.ROOT);
    }
}
