package org.borderwatch.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint on 127.0.0.1 that answers 204 to every request and records it, with its own implementation of
 * the Standard Webhooks verification (not the service's signer).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request: the Standard Webhooks headers and the raw body. */
    public record Received(String path, String id, String timestamp, String signature, String body) {

        /** The change of the json format's {@code {"type": "alert.fired", ...}}: {@code FIRED}. */
        String change() {
            return ((String) Api.map(body).get("type")).substring("alert.".length()).toUpperCase(java.util.Locale.ROOT);
        }

        @SuppressWarnings("unchecked")
        String alertId() {
            return (String) ((java.util.Map<String, Object>) Api.map(body).get("data")).get("alertId");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received(final String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        final byte[] body = exchange.getRequestBody().readAllBytes();
        final var headers = exchange.getRequestHeaders();
        received.add(new Received(exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"),
                headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"),
                new String(body, StandardCharsets.UTF_8)));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /**
     * Standard Webhooks: the signed content is {@code <webhook-id>.<webhook-timestamp>.<body>}; the key is the
     * base64-decoded part of the secret after {@code whsec_}; the header holds space-separated {@code v1,<base64
     * HMAC-SHA256>} signatures, any of which may match (rotation). Compared in constant time.
     */
    static boolean verifies(final Received request, final String secret) {
        if (request.id() == null || request.timestamp() == null || request.signature() == null
                || !secret.startsWith("whsec_")) {
            return false;
        }
        final byte[] expected;
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (final String signature : request.signature().split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(signature.substring("v1,".length())))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
