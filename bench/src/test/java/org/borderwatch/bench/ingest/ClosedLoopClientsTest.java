package org.borderwatch.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The single-event load's client against the JDK's own HTTP server on 127.0.0.1, and its reading of answers. */
class ClosedLoopClientsTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Integer> ports = new CopyOnWriteArrayList<>();
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final List<IOException> failures = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", exchange -> answer(exchange, 202, "{\"eventId\":\"x\"}".getBytes(
                StandardCharsets.UTF_8), false));
        server.createContext("/chunked", exchange -> answer(exchange, 422, "a long answer ".repeat(5_000)
                .getBytes(StandardCharsets.UTF_8), true));
        server.createContext("/close", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            answer(exchange, 503, new byte[0], false);
        });
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldReadEveryAnswerOnOneConnectionWhenTheServerKeepsItOpen() throws IOException {
        // When fixed-length and chunked (70 KB, past the first read buffer) answers alternate on one connection
        run(1, post("/fixed", "{\"a\":1}"), post("/chunked", "{\"b\":2}"), post("/fixed", "{\"c\":3}"));

        // Then each status is read, each body consumed whole, and the one connection carried all three
        assertThat(statuses).containsExactly(202, 422, 202);
        assertThat(seen).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(remotePorts()).hasSize(1);
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldOpenANewConnectionWhenTheServerClosedTheLastOne() throws IOException {
        // When the server answers "Connection: close", then a second request follows
        run(1, post("/close", "{}"), post("/fixed", "{}"));

        // Then the second went over a connection of its own
        assertThat(statuses).containsExactly(503, 202);
        assertThat(remotePorts()).hasSize(2);
    }

    @Test
    void shouldAnswerEveryRequestOnceWhenManyConnectionsShareOneThread() throws IOException {
        // When 16 connections share 160 requests
        final byte[][] requests = new byte[160][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = post("/fixed", "{\"n\":" + i + "}");
        }
        run(16, requests);

        // Then every request was answered once, over 16 connections
        assertThat(statuses).hasSize(160).containsOnly(202);
        assertThat(seen).hasSize(160).doesNotHaveDuplicates();
        assertThat(remotePorts()).hasSize(16);
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldWaitForTheWholeAnswerWhenItArrivesInPieces() throws IOException {
        final byte[] answer = "HTTP/1.1 202 Accepted\r\ncontent-length: 5\r\n\r\nhello".getBytes(
                StandardCharsets.ISO_8859_1);
        for (int end = 0; end < answer.length; end++) {
            assertThat(ClosedLoopClients.Answer.parse(answer, end, false)).as("%d bytes", end).isNull();
        }
        assertThat(ClosedLoopClients.Answer.parse(answer, answer.length, false))
                .isEqualTo(new ClosedLoopClients.Answer(202, false, answer.length));

        final byte[] chunked = ("HTTP/1.1 422 Unprocessable\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int end = 0; end < chunked.length; end++) {
            assertThat(ClosedLoopClients.Answer.parse(chunked, end, false)).as("%d bytes", end).isNull();
        }
        assertThat(ClosedLoopClients.Answer.parse(chunked, chunked.length, false))
                .isEqualTo(new ClosedLoopClients.Answer(422, false, chunked.length));

        final byte[] untilClose = "HTTP/1.0 200 OK\r\n\r\nbody".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ClosedLoopClients.Answer.parse(untilClose, untilClose.length, false)).isNull();
        assertThat(ClosedLoopClients.Answer.parse(untilClose, untilClose.length, true))
                .isEqualTo(new ClosedLoopClients.Answer(200, true, untilClose.length));
    }

    private void run(final int connections, final byte[]... requests) throws IOException {
        final ClosedLoopClients.Outcome outcome = new ClosedLoopClients.Outcome() {
            @Override
            public void answered(final int status) {
                statuses.add(status);
            }

            @Override
            public void failed(final IOException cause) {
                failures.add(cause);
            }
        };
        try (ClosedLoopClients clients = new ClosedLoopClients(address,
                n -> n < requests.length ? requests[(int) n] : null, outcome)) {
            clients.run(connections, System.nanoTime() + Duration.ofSeconds(20).toNanos());
        }
    }

    private List<Integer> remotePorts() {
        return ports.stream().distinct().toList();
    }

    private byte[] post(final String path, final String body) {
        return ClosedLoopClients.post(address, path, "key", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void answer(final HttpExchange exchange, final int status, final byte[] body, final boolean chunked)
            throws IOException {
        seen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        ports.add(exchange.getRemoteAddress().getPort());
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
