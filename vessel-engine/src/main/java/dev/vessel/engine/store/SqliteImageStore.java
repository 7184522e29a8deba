package dev.vessel.engine.store;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.image.Image;
import dev.vessel.core.store.ImageStore;
import dev.vessel.host.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteImageStore implements ImageStore {
    private final Database db;

    public SqliteImageStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Image image) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO images(name, body, created_at) VALUES (?,?,?) ON CONFLICT(name) DO NOTHING")) {
                ps.setString(1, image.name());
                ps.setString(2, Json.write(image));
                ps.setString(3, image.createdAt().toString());
                if (ps.executeUpdate() != 1) {
                    throw VesselException.exists("image", image.name());
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Image> byName(String name) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT body FROM images WHERE name = ?")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.readStored(rs.getString(1), Image.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Image> list() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT body FROM images ORDER BY name")) {
                var out = new ArrayList<Image>();
                while (rs.next()) {
                    out.add(Json.readStored(rs.getString(1), Image.class));
                }
                return out;
            }
        });
    }

    @Override
    public void delete(String name) {
        db.write(c -> {
            try (var ps = c.prepareStatement("DELETE FROM images WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
