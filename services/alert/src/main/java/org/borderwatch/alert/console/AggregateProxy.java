package org.borderwatch.alert.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.region.Regions;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator's query API for the console, on the console's own origin and session. The caller's region rule is
 * applied here, before anything is forwarded (one region: it must be the caller's, else 403 as the aggregator would
 * answer; the ranking: entries outside the caller's regions are removed); the aggregator is called with the alert
 * service's own credential ({@code borderwatch.alert.console.aggregator-api-key}), never with the user's key, which
 * the service does not have. Only the parameters below are forwarded, each checked for its form first.
 */
@Controller("/console/api/aggregates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "console")
public final class AggregateProxy {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateProxy.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** Enum names and ISO-8601 durations and instants: nothing that could change the forwarded URL's meaning. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:.+-]{1,40}");
    private static final int TOP_LIMIT = 1000;
    private static final int UNAVAILABLE_RETRIES = 3;
    private static final Duration UNAVAILABLE_PAUSE = Duration.ofMillis(500);

    private final ConsoleConfig config;
    private final Regions regions;
    private final JsonMapper json;
    private final HttpClient http;

    public AggregateProxy(final ConsoleConfig config, final Regions regions, final JsonMapper json) {
        this.config = config;
        this.regions = regions;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.aggregatorTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
    @Operation(summary = "The aggregator's windows of one region of the caller's (GET /v1/aggregates)")
    public Map<String, Object> aggregates(@QueryValue @Nullable final String region,
                                          @QueryValue @Nullable final String threatType,
                                          @QueryValue @Nullable final String window,
                                          @QueryValue @Nullable final String from,
                                          @QueryValue @Nullable final String to,
                                          final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        if (region == null || region.isBlank()) {
            throw ProblemException.invalid(List.of(new Violation("region", "required",
                    "region is required: one ISO 3166-2 region code such as TJ-KT")));
        }
        if (!regions.contains(region)) {
            throw ProblemException.invalid(List.of(new Violation("region", "unknown-region",
                    "region '" + region + "' is not in the region reference list")));
        }
        if (!principal.mayAccessRegion(region)) {
            throw ProblemException.forbidden("Region " + region + " is outside the regions of " + principal.name()
                    + ".", List.of(new Violation("region", "region-not-allowed", "region " + region
                    + " is not among " + principal.regions())));
        }
        final Map<String, String> query = new LinkedHashMap<>();
        query.put("region", region);
        putChecked(query, "threatType", threatType);
        putChecked(query, "window", window);
        putChecked(query, "from", from);
        putChecked(query, "to", to);
        return forward("/v1/aggregates", query);
    }

    @Get(uri = "/top", produces = MediaType.APPLICATION_JSON)
    @Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
    @Operation(summary = "The current value of a metric in every region of the caller's (GET /v1/aggregates/top)")
    @SuppressWarnings("unchecked")
    public Map<String, Object> top(@QueryValue @Nullable final String metric,
                                   @QueryValue @Nullable final String window,
                                   @QueryValue @Nullable final String threatType,
                                   final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Map<String, String> query = new LinkedHashMap<>();
        putChecked(query, "metric", metric);
        putChecked(query, "window", window);
        putChecked(query, "threatType", threatType);
        query.put("level", "region");
        query.put("limit", Integer.toString(TOP_LIMIT));
        final Map<String, Object> answer = forward("/v1/aggregates/top", query);
        final Object entries = answer.get("entries");
        final List<Map<String, Object>> visible = new ArrayList<>();
        if (entries instanceof List<?> list) {
            for (final Object entry : list) {
                if (entry instanceof Map<?, ?> map && map.get("region") instanceof String code
                        && principal.mayAccessRegion(code)) {
                    visible.add((Map<String, Object>) map);
                }
            }
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        for (final String field : List.of("level", "metric", "window", "threatType", "at")) {
            body.put(field, answer.get(field));
        }
        body.put("entries", visible);
        return body;
    }

    private static void putChecked(final Map<String, String> query, final String name, @Nullable final String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (!TOKEN.matcher(value).matches()) {
            throw ProblemException.invalid(List.of(new Violation(name, "pattern", name + " '" + value
                    + "' is not a value of the aggregator's API (letters, digits, _ : . + -; at most 40)")));
        }
        query.put(name, value);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> forward(final String path, final Map<String, String> query) {
        if (config.aggregatorApiKey() == null || config.aggregatorApiKey().isBlank()) {
            throw ProblemException.unavailable("The console's aggregate views are not configured: set"
                    + " borderwatch.alert.console.aggregator-api-key (BORDERWATCH_ALERT_CONSOLE_AGGREGATOR_API_KEY).",
                    RETRY_AFTER);
        }
        final StringBuilder uri = new StringBuilder(config.aggregatorUrl().toString().replaceAll("/+$", ""))
                .append(path);
        char separator = '?';
        for (final Map.Entry<String, String> parameter : query.entrySet()) {
            uri.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        final HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(config.aggregatorTimeout())
                .header("X-API-Key", config.aggregatorApiKey())
                .header("Accept", MediaType.APPLICATION_JSON)
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
            // The aggregator answers 503 for the moment a task moves between its instances (never a partial
            // answer); a short retry here spares the console a gap on the map for a routine rebalance.
            for (int retry = 0; retry < UNAVAILABLE_RETRIES && response.statusCode() == 503; retry++) {
                Thread.sleep(UNAVAILABLE_PAUSE.toMillis());
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (final IOException e) {
            LOG.warn("The aggregator at {} did not answer {}: {}", config.aggregatorUrl(), path, e.toString());
            throw ProblemException.unavailable("The aggregator does not answer; the figures will be back when it"
                    + " does.", RETRY_AFTER);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while asking the aggregator.", RETRY_AFTER);
        }
        final int status = response.statusCode();
        if (status == 200) {
            try {
                return json.readValue(response.body(), Map.class);
            } catch (final IOException e) {
                LOG.warn("The aggregator's answer to {} is not JSON: {}", path, e.getMessage());
                throw ProblemException.unavailable("The aggregator gave an unreadable answer.", RETRY_AFTER);
            }
        }
        if (status == 401 || status == 403) {
            // Our own credential, not the user's: a configuration fault, said in the log, not to the user.
            LOG.error("The aggregator refused the console's service credential ({} on {}); check"
                    + " borderwatch.alert.console.aggregator-api-key: it must be an analyst, ops-center or admin key"
                    + " with regions [\"*\"]", status, path);
            throw ProblemException.unavailable("The aggregate views are misconfigured; the operator has been told"
                    + " in the service log.", RETRY_AFTER);
        }
        if (status == 400 || status == 422) {
            throw passOn(response);
        }
        LOG.warn("The aggregator answered {} to {}", status, path);
        throw ProblemException.unavailable("The aggregator cannot answer now (HTTP " + status + ").",
                response.headers().firstValue("Retry-After").map(AggregateProxy::seconds).orElse(RETRY_AFTER));
    }

    /** The aggregator's own verdict on a parameter (422 naming field and rule), as this service's problem. */
    @SuppressWarnings("unchecked")
    private ProblemException passOn(final HttpResponse<String> response) {
        final List<Violation> violations = new ArrayList<>();
        String detail = "The aggregator refused the query.";
        try {
            final Map<String, Object> problem = json.readValue(response.body(), Map.class);
            if (problem.get("detail") instanceof String text) {
                detail = text;
            }
            if (problem.get("errors") instanceof List<?> errors) {
                for (final Object error : errors) {
                    if (error instanceof Map<?, ?> map) {
                        violations.add(new Violation(String.valueOf(map.get("field")), String.valueOf(map.get("rule")),
                                String.valueOf(map.get("message"))));
                    }
                }
            }
        } catch (final IOException | RuntimeException e) {
            LOG.debug("unreadable problem from the aggregator", e);
        }
        return violations.isEmpty() ? ProblemException.of(HttpStatus.valueOf(response.statusCode()), detail)
                : ProblemException.invalid(violations);
    }

    private static Duration seconds(final String value) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(value.strip())));
        } catch (final NumberFormatException e) {
            return RETRY_AFTER;
        }
    }
}
