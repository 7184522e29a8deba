package dev.vessel.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
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
 * others compare the line. And an empty {@code Host} is taken, as dockerd takes it.
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

            @Override
            protected RequestHandler newRequestHandler() {
                return new RequestHandler() {
                    @Override
                    public void parsedHeader(HttpField field) {
                        super.parsedHeader(blankHost(field) ? LOCALHOST : field);
                    }
                };
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /**
     * RFC 9112 lets a client send an empty {@code Host} when the target has no authority, and Docker's 20.10 CLI does
     * on its hijack requests over a unix socket. Jetty refuses those with "400 Blank Host": read as localhost.
     */
    static boolean blankHost(HttpField field) {
        return field.getHeader() == HttpHeader.HOST && field.getValue().isBlank();
    }

    private static final HttpField LOCALHOST = new HostPortHttpField("localhost");

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
