package org.borderwatch.cli.http;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One answer of a borderwatch API, or why there was none.
 *
 * @param status     the HTTP status, or {@link #NOT_REACHED}
 * @param body       the body as text ("" when none)
 * @param retryAfter the {@code Retry-After} the service sent
 * @param failure    why the service was not reached, in words; null when it answered
 */
public record ApiResponse(ApiClient.Service service, String baseUrl, int status, String body,
                          Optional<Duration> retryAfter, String failure) {

    public static final int NOT_REACHED = -1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean reached() {
        return status != NOT_REACHED;
    }

    /** True unless the request certainly never reached the service (refused, unknown host, no connection). */
    public boolean mayHaveArrived() {
        return reached() || ApiClient.NO_ANSWER.equals(failure);
    }

    public boolean ok() {
        return status / 100 == 2;
    }

    /** The body as JSON; a missing node when there is none or it is not JSON. */
    public JsonNode json() {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (final IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** What went wrong in one line: "Cannot reach …", or the status with the problem's title and detail. */
    public String describe() {
        if (!reached()) {
            return "Cannot reach the " + service.name() + " at " + baseUrl + ": " + failure;
        }
        final JsonNode problem = json();
        final String title = text(problem.path("title"));
        final String detail = text(problem.path("detail"));
        final String explained = title.isEmpty() && detail.isEmpty() ? shortBody()
                : title + (title.isEmpty() || detail.isEmpty() ? "" : " - ") + detail;
        final String lead = status == 503 ? service.unavailableMeans() + ": the " + service.name()
                + " answered HTTP 503" : "The " + service.name() + " answered HTTP " + status;
        return explained.isEmpty() ? lead : lead + ": " + explained;
    }

    /**
     * Prints {@link #describe()} and every broken rule of the problem; returns the CLI's exit code: 1 when the
     * service could not be used (not reached, unavailable), 3 when it refused the request.
     */
    public int report(final PrintStream err) {
        err.println(describe());
        for (final JsonNode error : json().path("errors")) {
            err.println("  " + text(error.path("field")) + " (" + text(error.path("rule")) + "): "
                    + text(error.path("message")));
        }
        return !reached() || status == 503 ? 1 : 3;
    }

    /** JSON null and absent fields are "", never the word "null". */
    private static String text(final JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : "";
    }

    private String shortBody() {
        final String flat = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(final String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (final NumberFormatException e) {
            try {
                final Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                final Duration until = Duration.between(Instant.now(), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (final DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
