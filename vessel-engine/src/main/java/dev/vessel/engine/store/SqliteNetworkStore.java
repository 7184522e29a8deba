package dev.vessel.engine.store;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.net.Ipv4;
import dev.vessel.net.NetworkSpec;
import dev.vessel.net.NetworkStore;
import dev.vessel.net.PortForward;
import dev.vessel.net.Protocol;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks and published ports in SQLite. A network is stored as its spec's JSON next to its name; a forward as
 * columns, keyed by what it claims on the host (address, port, protocol; '' for every address), so the same claim can
 * never be stored twice.
 */
public final class SqliteNetworkStore implements NetworkStore {
    private final Database db;

    public SqliteNetworkStore(Database db) {
        this.db = db;
    }

    @Override
    public List<NetworkSpec> networks() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT body FROM networks ORDER BY name")) {
                var out = new ArrayList<NetworkSpec>();
                while (rs.next()) {
                    out.add(Json.readStored(rs.getString(1), NetworkSpec.class));
                }
                return out;
            }
        });
    }

    @Override
    public void insert(NetworkSpec spec) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO networks(name, subnet, body, created_at) VALUES (?,?,?,?)")) {
                ps.setString(1, spec.name());
                ps.setString(2, spec.subnet().toString());
                ps.setString(3, Json.write(spec));
                ps.setString(4, Instant.now().toString());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (unique(e)) {
                    throw VesselException.exists("network", spec.name());
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void delete(String name) {
        db.write(c -> {
            try (var ps = c.prepareStatement("DELETE FROM networks WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<PortForward> forwards() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery(
                            "SELECT host_ip, host_port, protocol, target, target_port FROM port_forwards "
                                    + "ORDER BY protocol, host_port, host_ip")) {
                var out = new ArrayList<PortForward>();
                while (rs.next()) {
                    String ip = rs.getString(1);
                    out.add(new PortForward(
                            ip.isEmpty() ? null : Ipv4.parse(ip),
                            rs.getInt(2),
                            Protocol.parse("protocol", rs.getString(3)),
                            rs.getString(4),
                            rs.getInt(5)));
                }
                return out;
            }
        });
    }

    @Override
    public void insertForward(PortForward f) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO port_forwards(host_ip, host_port, protocol, target, target_port, created_at) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, f.hostIp() == null ? "" : f.hostIp().toString());
                ps.setInt(2, f.hostPort());
                ps.setString(3, f.protocol().toString());
                ps.setString(4, f.targetInstance());
                ps.setInt(5, f.targetPort());
                ps.setString(6, Instant.now().toString());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (unique(e)) {
                    throw VesselException.exists("port forward", f.hostSide());
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void deleteForward(PortForward f) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "DELETE FROM port_forwards WHERE host_ip = ? AND host_port = ? AND protocol = ?")) {
                ps.setString(1, f.hostIp() == null ? "" : f.hostIp().toString());
                ps.setInt(2, f.hostPort());
                ps.setString(3, f.protocol().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    static boolean unique(SQLException e) {
        return e.getMessage() != null
                && (e.getMessage().contains("UNIQUE") || e.getMessage().contains("PRIMARY KEY"));
    }
}
