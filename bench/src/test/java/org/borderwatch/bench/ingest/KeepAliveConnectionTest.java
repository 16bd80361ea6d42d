package org.borderwatch.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The single-event load's client against the JDK's own HTTP server on 127.0.0.1. */
class KeepAliveConnectionTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Integer> ports = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", exchange -> answer(exchange, 202, "{\"eventId\":\"x\"}".getBytes(
                StandardCharsets.UTF_8), false));
        server.createContext("/chunked", exchange -> answer(exchange, 422, "a long answer ".repeat(2_000)
                .getBytes(StandardCharsets.UTF_8), true));
        server.createContext("/close", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            answer(exchange, 503, new byte[0], false);
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldReadEveryAnswerOnOneConnectionWhenTheServerKeepsItOpen() throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
            // When fixed-length and chunked answers alternate on one connection
            final int first = connection.send(post("/fixed", "{\"a\":1}"));
            final int second = connection.send(post("/chunked", "{\"b\":2}"));
            final int third = connection.send(post("/fixed", "{\"c\":3}"));

            // Then each status is read, each body consumed whole, and the one connection carried all three
            assertThat(List.of(first, second, third)).containsExactly(202, 422, 202);
            assertThat(seen).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        }
        assertThat(remotePorts()).hasSize(1);
    }

    @Test
    void shouldOpenANewConnectionWhenTheServerClosedTheLastOne() throws IOException {
        try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
            // When the server answers "Connection: close", then a second request follows
            assertThat(connection.send(post("/close", "{}"))).isEqualTo(503);
            assertThat(connection.send(post("/fixed", "{}"))).isEqualTo(202);
        }
        // Then the second went over a connection of its own
        assertThat(remotePorts()).hasSize(2);
    }

    private List<Integer> remotePorts() {
        return ports.stream().distinct().toList();
    }

    private byte[] post(final String path, final String body) {
        return KeepAliveConnection.post(base, path, "key", "application/json", body);
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
