package dev.vessel.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * One file of the UI as it is served: its bytes, their gzip'd form when that is smaller (computed once, at load), and
 * a strong ETag from the content.
 */
public record UiAsset(String path, String contentType, byte[] body, byte[] gzip, String etag) {
    public static UiAsset of(String path, byte[] body) {
        String type = contentType(path);
        byte[] gz = compressible(type) ? gzip(body) : null;
        return new UiAsset(path, type, body, gz != null && gz.length < body.length ? gz : null, etag(body));
    }

    static String contentType(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        String ext = p.contains(".") ? p.substring(p.lastIndexOf('.') + 1) : "";
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "json", "map" -> "application/json";
            case "txt", "" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private static boolean compressible(String type) {
        return type.startsWith("text/") || type.equals("image/svg+xml") || type.equals("application/json");
    }

    private static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (var gz = new GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String etag(byte[] body) {
        return "\"" + sha256(body).substring(0, 20) + "\"";
    }
}
