package org.borderwatch.aggregator.query;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.borderwatch.aggregator.query.QueryParameters.AggregatesQuery;
import org.borderwatch.aggregator.query.QueryParameters.TopQuery;
import org.borderwatch.service.problem.Problem;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries of the live aggregates, served from the topology's state stores. Any instance answers
 * completely: a region's (or country's) windows are read by the instance that owns its partition (this one, or
 * the request is forwarded there); the top list gathers every instance's share and checks that every partition
 * answered. While partitions move (a rebalance, a restore), the answer is 503 with {@code Retry-After}, never a
 * partial list.
 */
@Controller("/v1/aggregates")
@Secured({Role.Names.ANALYST, Role.Names.ADMIN, Role.Names.OPS_CENTER})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "aggregates")
@ApiResponse(responseCode = "401", description = "No valid API key")
@ApiResponse(responseCode = "403", description = "The role may not query, or the region is not among the credential's")
@ApiResponse(responseCode = "422", description = "Invalid parameters; errors lists every one", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_PROBLEM, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "Rebalancing or restoring; retry after Retry-After seconds",
        content = @Content(mediaType = MediaType.APPLICATION_JSON_PROBLEM,
                schema = @Schema(implementation = Problem.class)))
public final class AggregateController {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateController.class);

    private final QueryParameters parameters;
    private final QueryableState state;
    private final LocalAggregates local;
    private final Peers peers;
    private final JsonMapper json;

    public AggregateController(final QueryParameters parameters, final QueryableState state,
                               final LocalAggregates local, final Peers peers, final JsonMapper json) {
        this.parameters = parameters;
        this.state = state;
        this.local = local;
        this.peers = peers;
        this.json = json;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Windows of one region or country",
            description = "Every non-empty window whose start lies in [from, to), per threat type and window, as on"
                    + " border.threat-aggregates.v1. Defaults: every threat type, every configured window, the 24 h"
                    + " before now.")
    @ApiResponse(responseCode = "200", description = "The windows", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AggregatesAnswer.class)))
    public HttpResponse<?> aggregates(
            @Parameter(description = "Region (TJ-KT) or country (TJ)") @QueryValue @Nullable final String region,
            @Parameter(description = "One threat type; default all") @QueryValue @Nullable final String threatType,
            @Parameter(description = "One configured window (PT1H); default all") @QueryValue @Nullable
            final String window,
            @Parameter(description = "Earliest window start, ISO-8601; default to - 24 h") @QueryValue @Nullable
            final String from,
            @Parameter(description = "Window starts before this, ISO-8601; default now") @QueryValue @Nullable
            final String to,
            final HttpRequest<?> request, final Authentication authentication) {
        final AggregatesQuery query = parameters.aggregates(region, threatType, window, from, to);
        QueryParameters.checkAccess(BorderwatchPrincipal.of(authentication), query.level(), query.code());
        final KeyQueryMetadata owner = state.owner(query.level(), query.code());
        if (state.isSelf(owner.activeHost())) {
            return HttpResponse.ok(local.aggregates(query, owner.partition()));
        }
        final String forwardedBy = request.getHeaders().get(Peers.FORWARDED_HEADER);
        if (forwardedBy != null) {
            throw state.rebalancing("instance " + forwardedBy + " sent " + query.code() + " here, but its owner is "
                    + LocalAggregates.endpoint(owner.activeHost()));
        }
        final String pathAndQuery = request.getUri().getRawPath() + "?" + query(
                "region", query.code(), "threatType", threatType, "window", window,
                "from", query.from().toString(), "to", query.to().toString());
        final Peers.Answer answer;
        try {
            answer = peers.get(owner.activeHost(), pathAndQuery, state.self(), request).join();
        } catch (final CompletionException e) {
            throw state.rebalancing("instance " + LocalAggregates.endpoint(owner.activeHost()) + ", which owns "
                    + query.code() + ", did not answer: " + Peers.describe(e));
        }
        return relay(answer);
    }

    @Get(uri = "/top", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Regions (or countries) with the highest value of a metric now",
            description = "The current window (the one rules evaluate) at `at` (default now) of every region, summed"
                    + " over threat types unless one is named; highest first, zero values left out. Only regions"
                    + " the credential may see take part.")
    @ApiResponse(responseCode = "200", description = "The ranking", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TopAnswer.class)))
    public HttpResponse<?> top(
            @Parameter(description = "EVENT_COUNT (default), SEIZURE_KG or SEVERITY_SCORE") @QueryValue @Nullable
            final String metric,
            @Parameter(description = "A configured window; default the first (PT1H)") @QueryValue @Nullable
            final String window,
            @Parameter(description = "One threat type; default all together") @QueryValue @Nullable
            final String threatType,
            @Parameter(description = "region (default) or country") @QueryValue @Nullable final String level,
            @Parameter(description = "How many, 1 to 1000; default 10") @QueryValue @Nullable final Integer limit,
            @Parameter(description = "The time whose current window is ranked, ISO-8601; default now")
            @QueryValue @Nullable final String at,
            final HttpRequest<?> request, final Authentication authentication) {
        final TopQuery query = parameters.top(level, metric, window, threatType, limit, at);
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        if (request.getHeaders().contains(Peers.FORWARDED_HEADER)) {
            // One leg of another instance's gather: this instance's own partitions only, and it says which.
            return HttpResponse.ok(local.top(query, principal, state.localPartitions(query.level())));
        }
        final Map<HostInfo, Set<Integer>> assignment = new LinkedHashMap<>();
        for (final StreamsMetadata instance : state.instances()) {
            assignment.put(instance.hostInfo(), state.partitions(instance, query.level()));
        }
        final Set<Integer> expected = assignment.values().stream().flatMap(Set::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        if (expected.isEmpty() || expected.size() != ((TreeSet<Integer>) expected).last() + 1) {
            throw state.rebalancing("partitions " + expected + " are assigned, not all of them");
        }
        final String pathAndQuery = request.getUri().getRawPath() + "?" + query("level",
                query.level().name(), "metric", query.metric().name(), "window", query.window().name(),
                "threatType", query.threatType() == null ? null : query.threatType().name(),
                "limit", Integer.toString(query.limit()), "at", query.at().toString());
        final List<CompletableFuture<Peers.Answer>> remote = new ArrayList<>();
        final List<TopAnswer> answers = new ArrayList<>();
        for (final Map.Entry<HostInfo, Set<Integer>> instance : assignment.entrySet()) {
            if (state.isSelf(instance.getKey())) {
                answers.add(local.top(query, principal, instance.getValue()));
            } else if (!instance.getValue().isEmpty()) {
                remote.add(peers.get(instance.getKey(), pathAndQuery, state.self(), request));
            }
        }
        for (final CompletableFuture<Peers.Answer> pending : remote) {
            final Peers.Answer answer;
            try {
                answer = pending.join();
            } catch (final CompletionException e) {
                throw state.rebalancing("an instance did not answer: " + Peers.describe(e));
            }
            if (answer.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
                throw state.rebalancing("instance " + LocalAggregates.endpoint(answer.peer()) + " is not ready");
            }
            if (answer.status() != HttpStatus.OK.getCode()) {
                return relay(answer);
            }
            answers.add(read(answer));
        }
        return HttpResponse.ok(merge(query, answers, expected));
    }

    /** The union of every instance's top; complete only if each expected partition answered. */
    private TopAnswer merge(final TopQuery query, final List<TopAnswer> answers, final Set<Integer> expected) {
        final Set<Integer> answered = new TreeSet<>();
        answers.forEach(answer -> answered.addAll(answer.partitions()));
        if (!answered.equals(expected)) {
            throw state.rebalancing("partitions " + answered + " answered, " + expected + " expected");
        }
        // A partition that moved between two legs can be counted by both; a code is in one partition only.
        final Set<String> seen = new HashSet<>();
        final List<TopEntry> entries = answers.stream().flatMap(answer -> answer.entries().stream())
                .sorted(LocalAggregates.ORDER).filter(entry -> seen.add(entry.region())).limit(query.limit())
                .toList();
        return new TopAnswer(query.level().name().toLowerCase(Locale.ROOT), query.metric().name(),
                query.window().name(), query.threatType() == null ? null : query.threatType().name(),
                query.at().toString(), query.limit(), entries, List.copyOf(answered),
                answers.stream().flatMap(answer -> answer.servedBy().stream()).sorted().toList());
    }

    private TopAnswer read(final Peers.Answer answer) {
        try {
            return json.readValue(answer.body(), TopAnswer.class);
        } catch (final IOException e) {
            LOG.warn("Instance {} answered the top query with an unreadable body: {}", answer.peer(), e.getMessage());
            throw state.rebalancing("instance " + LocalAggregates.endpoint(answer.peer()) + " answered unreadably");
        }
    }

    /** The peer's answer as this instance's own: status, body, type and Retry-After. */
    private static HttpResponse<?> relay(final Peers.Answer answer) {
        final MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(answer.status()))
                .body(answer.body()).contentType(answer.contentType());
        if (answer.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, answer.retryAfter());
        }
        return response;
    }

    /** A query string of name/value pairs; null and empty values are left out. */
    private static String query(final String... namesAndValues) {
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            final String value = namesAndValues[i + 1];
            if (value != null && !value.isEmpty()) {
                parts.add(namesAndValues[i] + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return String.join("&", parts);
    }
}
