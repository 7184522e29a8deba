package dev.vessel.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 as Jetty speaks it, except that a 101 to {@code Upgrade: tcp} says {@code HTTP/1.1 101 UPGRADED}, as
 * dockerd's hijack does (Jetty 12 has no API for a reason phrase). Docker's own clients check only the status, but
 * others compare the line.
 */
final class DockerReasonConnectionFactory extends HttpConnectionFactory {
    DockerReasonConnectionFactory(HttpConfiguration config) {
        super(config);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        var connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            @Override
            protected HttpGenerator newHttpGenerator() {
                return new Generator();
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class Generator extends HttpGenerator {
        @Override
        public Result generateResponse(
                MetaData.Response info,
                boolean head,
                ByteBuffer header,
                ByteBuffer chunk,
                ByteBuffer content,
                boolean last)
                throws java.io.IOException {
            if (info != null
                    && info.getStatus() == 101
                    && "tcp".equalsIgnoreCase(info.getHttpFields().get("Upgrade"))) {
                info = new MetaData.Response(
                        101, "UPGRADED", info.getHttpVersion(), info.getHttpFields(), info.getContentLength());
            }
            return super.generateResponse(info, head, header, chunk, content, last);
        }
    }
}
