package org.borderwatch.cli.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.borderwatch.cli.CliException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CLI's one way to call a borderwatch HTTP API: the key in {@code X-API-Key}, text in and out, redirects never
 * followed, and a 503 retried after the service's {@code Retry-After} within a {@link RetryBudget} shared by the
 * whole command. Never throws for a service that cannot be reached: the answer says why, in words
 * ({@link ApiResponse#report}). Thread-safe; one client may carry many requests at once.
 */
public final class ApiClient {

    /** A borderwatch API as the CLI names it to people, what its 503 means, and how long one answer may take. */
    public record Service(String name, String unavailableMeans, Duration requestTimeout) {

        public static final Service INGEST = new Service("ingest API", "Kafka is unavailable",
                Duration.ofSeconds(60));
        /** Backtests read the whole retained history: a longer timeout. */
        public static final Service AGGREGATOR = new Service("aggregator",
                "The aggregator is rebalancing or cannot reach Kafka", Duration.ofSeconds(120));
        public static final Service ALERT = new Service("alert service", "The alert service cannot reach Kafka",
                Duration.ofSeconds(60));
    }

    /** Why a request got no answer in time: it reached the service, whose work may or may not be done. */
    static final String NO_ANSWER = "no answer within the request timeout";

    // One for the whole process: each HttpClient owns a selector thread and a connection pool.
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Service service;
    private final String baseUrl;
    private final String apiKey;
    private final RetryBudget budget;

    /**
     * @param baseUrl as the user gave it, e.g. {@code http://127.0.0.1:8081}; see {@link #checkBaseUrl}
     * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http(s) URL (say so and exit 2)
     */
    public ApiClient(final Service service, final String baseUrl, final String apiKey, final RetryBudget budget) {
        this.service = service;
        this.baseUrl = checkBaseUrl(baseUrl);
        this.apiKey = apiKey;
        this.budget = budget;
    }

    /**
     * The client a command uses, its notices on stderr.
     *
     * @throws CliException (exit 1) without an API key, (exit 2) when {@code url} is not an http(s) URL
     */
    public static ApiClient forCommand(final Service service, final String url, final String apiKey,
                                       final Duration giveUpAfter) {
        return forCommand(service, url, apiKey, giveUpAfter, System.err::println);
    }

    /** As {@link #forCommand(Service, String, String, Duration)}, with the retry notices going to {@code notices}. */
    public static ApiClient forCommand(final Service service, final String url, final String apiKey,
                                       final Duration giveUpAfter, final Consumer<String> notices) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new CliException(1, "No API key: pass --api-key or set BORDERWATCH_API_KEY (./borderwatch dev"
                    + " prints demo keys).");
        }
        try {
            return new ApiClient(service, url, apiKey, new RetryBudget(giveUpAfter, notices));
        } catch (final IllegalArgumentException e) {
            throw new CliException(2, "--url: " + e.getMessage());
        }
    }

    public Service service() {
        return service;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public RetryBudget budget() {
        return budget;
    }

    /**
     * The URL without a trailing slash.
     *
     * @throws IllegalArgumentException with a sentence for the user when it is not an absolute http(s) URL
     */
    public static String checkBaseUrl(final String url) {
        final String trimmed = url == null ? "" : url.strip();
        try {
            final URI uri = new URI(trimmed);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            }
        } catch (final URISyntaxException e) {
            // Reported below, in the same words as a URL without a scheme.
        }
        throw new IllegalArgumentException("'" + trimmed + "' is not an http:// or https:// URL such as"
                + " http://127.0.0.1:8081");
    }

    public ApiResponse get(final String path) {
        return send("GET", path, null, null);
    }

    /** A JSON request; with a null body still declared JSON, since the APIs' POST routes consume it. */
    public ApiResponse sendJson(final String method, final String path, final JsonNode body) {
        return send(method, path, "application/json", body == null ? null : body.toString());
    }

    /** One path segment, percent-encoded: an id with '/', '|' or spaces stays one segment. */
    public static String segment(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} from name/value pairs, leaving out null and blank values; "" when none is left. */
    public static String query(final String... namesAndValues) {
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            final String value = namesAndValues[i + 1];
            if (value != null && !value.isBlank()) {
                parts.add(namesAndValues[i] + "=" + URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
            }
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    /**
     * Sends one request, again after each 503 while the budget lasts.
     *
     * @param contentType the body's type; with a null body, still sent for a POST (routes consume JSON)
     * @param body        the body as text, or null for none
     */
    public ApiResponse send(final String method, final String path, final String contentType, final String body) {
        return send(method, path, contentType, body, this::answered503);
    }

    /**
     * Sends one request, again while {@code unavailable} says the answer means "try later" and the budget lasts.
     * Any other answer resets the budget. Returns the last answer: when it still means "unavailable", the budget
     * is spent ({@link RetryBudget#exhausted()}).
     *
     * @param unavailable why an answer means the service cannot do the work now, or null when it does not (by
     *                    default: a 503; the ingest API also answers a batch with every line failed that way)
     */
    public ApiResponse send(final String method, final String path, final String contentType, final String body,
                            final Function<ApiResponse, String> unavailable) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(service.requestTimeout())
                .header("Accept", "application/json, application/problem+json")
                .header("X-API-Key", apiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null && !"GET".equals(method)) {
            builder.header("Content-Type", contentType);
        }
        final HttpRequest request = builder.build();
        while (true) {
            final ApiResponse response = once(request);
            final String why = response.reached() ? unavailable.apply(response) : null;
            if (why == null) {
                if (response.reached()) {
                    budget.succeeded();
                }
                return response;
            }
            try {
                if (!budget.awaitRetry(response.retryAfter(), service.unavailableMeans() + " (" + why + ")")) {
                    return response;
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return response;
            }
        }
    }

    private String answered503(final ApiResponse response) {
        return response.status() == 503 ? "the " + service.name() + " answered 503" : null;
    }

    private ApiResponse once(final HttpRequest request) {
        try {
            final HttpResponse<String> response = HTTP.send(request,
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(service, baseUrl, response.statusCode(), response.body(),
                    ApiResponse.retryAfter(response.headers().firstValue("Retry-After").orElse(null)), null);
        } catch (final IOException e) {
            return new ApiResponse(service, baseUrl, ApiResponse.NOT_REACHED, "", Optional.empty(),
                    why(e));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResponse(service, baseUrl, ApiResponse.NOT_REACHED, "", Optional.empty(),
                    "interrupted");
        }
    }

    /** Java's HTTP client throws a ConnectException without a message: say in words what happened. */
    static String why(final Throwable error) {
        if (error instanceof HttpConnectTimeoutException) {
            return "no connection within 5 s";
        }
        if (error instanceof HttpTimeoutException) {
            return NO_ANSWER;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        if (error instanceof ConnectException) {
            return "connection refused (is the service running? ./borderwatch dev starts the stack)";
        }
        final String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
