package dev.vessel.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * In front of a TLS listener: a client that speaks TLS goes on to it; one that sends plain HTTP gets a plain
 * {@code 400} that says to use https (as Go's and nginx's servers do), instead of a TLS alert its user cannot read.
 */
final class PlainHttpRefusal extends DetectorConnectionFactory {
    private final String address;

    PlainHttpRefusal(ConnectionFactory.Detecting tls, String address) {
        super(tls);
        this.address = address;
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        String body = "{\"type\":\"urn:vessel:problem:tls-required\",\"title\":\"TLS required\",\"status\":400,"
                + "\"detail\":\"this port speaks HTTPS only: use https://" + address
                + "/ (plain HTTP on TCP is off unless the daemon's tcp-plain setting turns it on)\"}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + b.length);
        out.put(head.getBytes(StandardCharsets.US_ASCII)).put(b).flip();
        endPoint.write(Callback.from(endPoint::close, x -> endPoint.close(x)), out);
    }
}
