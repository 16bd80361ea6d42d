package org.borderwatch.alert.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint on 127.0.0.1 that answers each path from a script (status codes; {@link #SLOW} answers after
 * longer than the service's request timeout), records every request, and verifies Standard Webhooks signatures with
 * its own implementation of the algorithm.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Answer so late that the sender's request timeout (1 s in tests) expires first. */
    public static final int SLOW = -1;

    /** One received request. */
    public record Received(String path, String id, String timestamp, String signature, String contentType,
                           String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the next requests to {@code path} with these statuses, then 200. */
    public WebhookReceiver script(final String path, final Integer... statuses) {
        scripts.put(path, new CopyOnWriteArrayList<>(List.of(statuses)));
        return this;
    }

    public String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received(final String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        final byte[] body = exchange.getRequestBody().readAllBytes();
        final var headers = exchange.getRequestHeaders();
        received.add(new Received(path, headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                headers.getFirst("webhook-signature"), headers.getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8)));
        final List<Integer> script = scripts.getOrDefault(path, new ArrayList<>());
        final int status = script.isEmpty() ? 200 : script.remove(0);
        if (status == SLOW) {
            try {
                // Simulates an endpoint that hangs; not test synchronisation.
                Thread.sleep(3000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
        } else {
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", url("/redirect-target"));
            }
            exchange.sendResponseHeaders(status, -1);
        }
        exchange.close();
    }

    /**
     * Standard Webhooks verification: for each space-separated {@code v1,<sig>} in the header, compare with the
     * base64 HMAC-SHA256, keyed with the base64-decoded secret after {@code whsec_}, of {@code id.timestamp.body}.
     */
    public static boolean verifies(final Received request, final String secret) {
        final String expected;
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            expected = Base64.getEncoder().encodeToString(mac.doFinal((request.id() + "." + request.timestamp() + "."
                    + request.body()).getBytes(StandardCharsets.UTF_8)));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (final String signature : request.signature().split(" ")) {
            if (signature.equals("v1," + expected)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
