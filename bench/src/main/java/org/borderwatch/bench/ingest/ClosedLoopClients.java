package org.borderwatch.bench.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Many keep-alive HTTP/1.1 connections driven by one thread over a selector, each a closed-loop client: it writes a
 * request, reads the whole answer, and writes the next one. This is how {@code wrk} drives a server (an event loop
 * per thread, not a thread per connection): 64 blocking client threads on the broker's JVM cost this 2-core machine
 * a wake-up and a context switch per answer, about a third of the CPU the service under test had left (bench/README.md,
 * Single events). It writes prepared bytes and reads only the status line, the headers it needs and the body's length
 * (Content-Length or chunked); a connection the server closes is opened again. Not thread-safe: one thread runs it.
 */
final class ClosedLoopClients implements AutoCloseable {

    /** Told of every answer and every failed request, on the thread of {@link #run}. */
    interface Outcome {
        void answered(int status);

        void failed(IOException cause);
    }

    private static final int INITIAL_BUFFER = 16_384;
    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final InetSocketAddress address;
    private final LongFunction<byte[]> requests;
    private final Outcome outcome;
    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private long sent;

    /**
     * @param requests the bytes of the n-th request (from {@link #post}), n counting every request of every
     *                 connection; null when there are no more: the connection that asked stays idle
     */
    ClosedLoopClients(final InetSocketAddress address, final LongFunction<byte[]> requests, final Outcome outcome)
            throws IOException {
        this.address = address;
        this.requests = requests;
        this.outcome = outcome;
        this.selector = Selector.open();
    }

    /** The bytes of a {@code POST} with a body of {@code contentType}: built once per distinct request. */
    static byte[] post(final InetSocketAddress address, final String path, final String key, final String contentType,
                       final byte[] content) {
        final byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ':'
                + address.getPort() + "\r\nContent-Type: " + contentType + "\r\nX-API-Key: " + key
                + "\r\nContent-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    /**
     * Opens {@code count} connections, each sending its first request, then drives them until {@code untilNanos}
     * ({@link System#nanoTime}) or until none has a request outstanding; an answer still outstanding at the end is
     * not waited for.
     */
    void run(final int count, final long untilNanos) throws IOException {
        for (int i = 0; i < count; i++) {
            final Connection connection = new Connection();
            connections.add(connection);
            connection.open();
        }
        while (System.nanoTime() < untilNanos && connections.stream().anyMatch(Connection::busy)) {
            selector.select(100);
            final Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                final SelectionKey key = ready.next();
                ready.remove();
                final Connection connection = (Connection) key.attachment();
                try {
                    if (key.isValid() && key.isWritable()) {
                        connection.write();
                    } else if (key.isValid() && key.isReadable()) {
                        connection.read();
                    }
                } catch (final IOException e) {
                    outcome.failed(e);
                    connection.reopen();
                }
            }
        }
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
        try {
            selector.close();
        } catch (final IOException e) {
            // nothing left to release
        }
    }

    /** One connection: at most one request outstanding; {@code in} holds the answer read so far. */
    private final class Connection {
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);

        void open() throws IOException {
            final SocketChannel opened = SocketChannel.open();
            opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
            opened.connect(address);
            opened.configureBlocking(false);
            channel = opened;
            in.clear();
            key = opened.register(selector, 0, this);
            next();
        }

        /** After a failure: a new connection, and the failed request is not sent again (it counted as failed). */
        void reopen() {
            close();
            try {
                open();
            } catch (final IOException e) {
                // The server is gone: this client stops; the run reports its failed requests.
                outcome.failed(e);
                close();
            }
        }

        private void next() throws IOException {
            final byte[] request = requests.apply(sent++);
            if (request == null) {
                out = null;
                key.interestOps(0);
                return;
            }
            out = ByteBuffer.wrap(request);
            write();
        }

        /** A request is being written or its answer read. */
        boolean busy() {
            return channel != null && out != null;
        }

        void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        void read() throws IOException {
            if (!in.hasRemaining()) {
                if (in.capacity() >= MAX_ANSWER) {
                    throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
                }
                final ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                larger.put(in);
                in = larger;
            }
            final int read = channel.read(in);
            final Answer answer = Answer.parse(in.array(), in.position(), read < 0);
            if (answer == null) {
                if (read < 0) {
                    throw new EOFException("connection closed in the middle of an answer");
                }
                return;
            }
            outcome.answered(answer.status());
            if (answer.closes() || read < 0) {
                reopen();
                return;
            }
            // One request at a time: nothing follows the answer.
            in.clear();
            next();
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (final IOException e) {
                    // already gone
                }
                channel = null;
            }
        }
    }

    /** A whole answer at the start of a buffer: its status and whether the server closes the connection after it. */
    record Answer(int status, boolean closes, int length) {

        /**
         * The answer in {@code bytes[0, end)}, or null while it is incomplete; {@code ended}: the server closed the
         * connection after these bytes (an answer without a length ends there).
         */
        static Answer parse(final byte[] bytes, final int end, final boolean ended) throws IOException {
            final int headersEnd = indexOf(bytes, 0, end, "\r\n\r\n");
            if (headersEnd < 0) {
                return null;
            }
            final String head = new String(bytes, 0, headersEnd, StandardCharsets.ISO_8859_1);
            final String[] lines = head.split("\r\n");
            if (!lines[0].startsWith("HTTP/1.") || lines[0].length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + lines[0]);
            }
            final int status = Integer.parseInt(lines[0].substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closes = lines[0].startsWith("HTTP/1.0");
            for (int i = 1; i < lines.length; i++) {
                final int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                final String name = lines[i].substring(0, colon).trim();
                final String value = lines[i].substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    closes = value.toLowerCase(Locale.ROOT).contains("close");
                }
            }
            final int bodyStart = headersEnd + 4;
            if (chunked) {
                final int bodyEnd = chunkedEnd(bytes, bodyStart, end);
                return bodyEnd < 0 ? null : new Answer(status, closes, bodyEnd);
            }
            if (length >= 0) {
                return end - bodyStart >= length ? new Answer(status, closes, (int) (bodyStart + length)) : null;
            }
            if (status == 204 || status == 304 || status < 200) {
                return new Answer(status, closes, bodyStart);
            }
            // The body runs to the end of the connection.
            return ended ? new Answer(status, true, end) : null;
        }

        /** The end of a chunked body starting at {@code from}, or -1 while it is incomplete. */
        private static int chunkedEnd(final byte[] bytes, final int from, final int end) throws IOException {
            int at = from;
            while (true) {
                final int lineEnd = indexOf(bytes, at, end, "\r\n");
                if (lineEnd < 0) {
                    return -1;
                }
                final String line = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                final int extension = line.indexOf(';');
                final long size;
                try {
                    size = Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
                } catch (final NumberFormatException e) {
                    throw new IOException("not a chunk size: " + line, e);
                }
                at = lineEnd + 2;
                if (size == 0) {
                    // Trailers, if any, then an empty line.
                    while (true) {
                        final int trailerEnd = indexOf(bytes, at, end, "\r\n");
                        if (trailerEnd < 0) {
                            return -1;
                        }
                        final boolean empty = trailerEnd == at;
                        at = trailerEnd + 2;
                        if (empty) {
                            return at;
                        }
                    }
                }
                if (end - at < size + 2) {
                    return -1;
                }
                at += (int) size + 2;
            }
        }

        private static int indexOf(final byte[] bytes, final int from, final int end, final String ascii) {
            final int n = ascii.length();
            outer:
            for (int i = from; i + n <= end; i++) {
                for (int j = 0; j < n; j++) {
                    if (bytes[i + j] != ascii.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
