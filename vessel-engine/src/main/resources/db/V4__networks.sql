CREATE TABLE networks (
    name TEXT PRIMARY KEY,
    subnet TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE ip_leases (
    network TEXT NOT NULL REFERENCES networks(name),
    address TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    nic INTEGER NOT NULL,
    mac TEXT NOT NULL,
    hostname TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ip_leases_address ON ip_leases(network, address);
CREATE UNIQUE INDEX ip_leases_mac ON ip_leases(mac);
CREATE UNIQUE INDEX ip_leases_owner ON ip_leases(instance_id, nic);
CREATE TABLE port_forwards (
    host_ip TEXT NOT NULL,
    host_port INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    target TEXT NOT NULL,
    target_port INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (host_ip, host_port, protocol)
);
