package io.ringfence.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small blocking HTTP/1.1 client for the load tool's measured calls: one keep-alive connection per load thread,
 * the request written in one go, the answer read to its last byte, nothing asynchronous. The load tool shares the
 * machine's cores with the service it measures, and the JDK's {@code HttpClient} (selector thread, executor hand-offs,
 * futures per call, a String decoded from every body) took about 2 ms of CPU per request, a tenth of this machine at
 * 150 creates per second, out of the service's share. Plain {@code http} only, as the load service speaks.
 */
final class PlainHttp implements AutoCloseable {

    /** One answer: status, body bytes, and {@link System#nanoTime()} when its last byte was read. */
    record Reply(int status, byte[] body, long lastByteNanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final String hostHeader;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    PlainHttp(String baseUrl) {
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the load tool's client speaks plain http, not " + uri.getScheme());
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.hostHeader = host + ":" + port;
    }

    /**
     * Sends one request on this thread's connection and reads the whole answer. A connection the server closed
     * while it sat idle (keep-alive timeout) fails before any byte of an answer arrives; the request is then sent
     * once more on a new connection, which is safe since the server never read it.
     */
    Reply exchange(String method, String pathAndQuery, String token, String contentType, byte[] body)
            throws IOException {
        byte[] request = request(method, pathAndQuery, token, contentType, body);
        Connection connection = connections.get();
        if (connection != null) {
            try {
                return connection.exchange(request);
            } catch (StaleConnectionException e) {
                drop(connection);
            } catch (IOException | RuntimeException e) {
                drop(connection);
                throw e;
            }
        }
        connection = connect();
        try {
            return connection.exchange(request);
        } catch (IOException | RuntimeException e) {
            drop(connection);
            throw e;
        }
    }

    private byte[] request(String method, String pathAndQuery, String token, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(pathAndQuery)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\nAccept: application/json\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                    .append("\r\n");
        } else if ("POST".equals(method) || "PUT".equals(method)) {
            head.append("Content-Length: 0\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return headBytes;
        }
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private Connection connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(120_000);
        Connection connection = new Connection(socket);
        connections.set(connection);
        open.add(connection);
        return connection;
    }

    private void drop(Connection connection) {
        connections.remove();
        open.remove(connection);
        connection.close();
    }

    @Override
    public void close() {
        open.forEach(Connection::close);
        open.clear();
    }

    /** The server closed an idle connection: nothing of an answer arrived, so the request was not read. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(String message) {
            super(message);
        }
    }

    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private byte[] gathered = new byte[64 * 1024];

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        Reply exchange(byte[] request) throws IOException {
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                throw new StaleConnectionException("writing: " + e.getMessage());
            }
            int first = in.read();
            if (first < 0) {
                throw new StaleConnectionException("closed before an answer");
            }
            String statusLine = (char) first + line();
            // "HTTP/1.1 202 " or "HTTP/1.1 202"
            int space = statusLine.indexOf(' ');
            if (!statusLine.startsWith("HTTP/1.") || space < 0 || statusLine.length() < space + 4) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            byte[] body;
            if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                body = new byte[0];
            } else if (chunked) {
                body = chunkedBody();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length != length) {
                    throw new EOFException("answer ended after " + body.length + " of " + length + " bytes");
                }
            } else {
                body = in.readAllBytes();
                closeAfter = true;
            }
            long lastByte = System.nanoTime();
            if (closeAfter) {
                drop(this);
            }
            return new Reply(status, body, lastByte);
        }

        /**
         * A chunked body, read into this connection's buffer, which grows to the longest answer and is kept: a list
         * of 10,000 comes in about 10 MB of chunks, and gathering them in fresh arrays (a growing byte stream and a
         * copy of each chunk) copied it four times and kept the load tool's collector busy on the shared cores.
         */
        private byte[] chunkedBody() throws IOException {
            int length = 0;
            while (true) {
                String sizeLine = line();
                int extension = sizeLine.indexOf(';');
                int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
                if (size == 0) {
                    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                        // trailers carry nothing the load tool reads
                    }
                    return Arrays.copyOf(gathered, length);
                }
                if (gathered.length - length < size) {
                    gathered = Arrays.copyOf(gathered, Math.max(gathered.length * 2, length + size));
                }
                int read = in.readNBytes(gathered, length, size);
                if (read != size) {
                    throw new EOFException("chunk ended after " + read + " of " + size + " bytes");
                }
                length += size;
                if (!line().isEmpty()) {
                    throw new IOException("no line end after a chunk");
                }
            }
        }

        /** One header line without its line end (CRLF, or a bare LF). */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("answer ended inside its head");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection that is gone already
            }
        }
    }
}
