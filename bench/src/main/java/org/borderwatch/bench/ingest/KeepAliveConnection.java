package org.borderwatch.bench.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection on a blocking socket, one request at a time: the load generator of the
 * single-event benchmark, the way {@code wrk} or {@code h2load} drive a server. The JDK {@code HttpClient} it
 * replaces there cost the load's JVM more CPU per request than the ingest service spent answering it (a 20 s run
 * at 64 clients: 1.8 ms against 1.7 ms), and on 2 shared cores the client's CPU is taken from the service; this one
 * writes prepared bytes and reads the answer's status line, headers and body (Content-Length or chunked), nothing
 * more. Not thread-safe: one per client thread.
 */
final class KeepAliveConnection implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int MAX_LINE = 8_192;

    private final InetSocketAddress address;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveConnection(final URI base) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
    }

    /**
     * The bytes of a {@code POST} with a JSON-like body, for {@link #send}: built once per distinct request.
     */
    static byte[] post(final URI base, final String path, final String key, final String contentType,
                       final String body) {
        final byte[] content = body.getBytes(StandardCharsets.UTF_8);
        final byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ':' + base.getPort()
                + "\r\nContent-Type: " + contentType + "\r\nX-API-Key: " + key + "\r\nContent-Length: "
                + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    /**
     * Sends {@code request} (from {@link #post}) and reads the whole answer; returns its status code. Opens the
     * connection first when there is none, or when the server closed the last one.
     */
    int send(final byte[] request) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            out.write(request);
            out.flush();
            return readAnswer();
        } catch (final IOException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        final Socket opened = new Socket();
        opened.setTcpNoDelay(true);
        opened.setSoTimeout(TIMEOUT_MILLIS);
        opened.connect(address, TIMEOUT_MILLIS);
        socket = opened;
        out = opened.getOutputStream();
        in = new BufferedInputStream(opened.getInputStream(), 16_384);
    }

    private int readAnswer() throws IOException {
        final String statusLine = line();
        // "HTTP/1.1 202 Accepted"
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = statusLine.startsWith("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            final int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            final String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closes = value.contains("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
        } else if (length >= 0) {
            skip(length);
        } else {
            closes = true; // the body runs to the end of the connection
            while (in.read() >= 0) {
                // drain
            }
        }
        if (closes) {
            close();
        }
        return status;
    }

    private long chunkSize() throws IOException {
        final String line = line();
        final int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private void skip(final long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            final long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed with " + left + " bytes of the body unread");
                }
                left--;
            } else {
                left -= skipped;
            }
        }
    }

    /** One header-section line without its CRLF. */
    private String line() throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of an answer");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("answer line longer than " + MAX_LINE + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (final IOException e) {
                // already gone
            }
            socket = null;
        }
    }
}
