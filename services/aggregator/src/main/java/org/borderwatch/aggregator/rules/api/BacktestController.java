package org.borderwatch.aggregator.rules.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
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
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.rules.Backtest;
import org.borderwatch.aggregator.rules.Level;
import org.borderwatch.aggregator.rules.RuleMatch;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.problem.Problem;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/rules/backtest}: runs a rule (the body, or a stored one by {@code ruleId}) over the retained
 * history of incidents and seizures with {@link Backtest}, the topology's own buckets, windows and breach
 * lifecycle in idealised time, and answers when it would have fired, escalated and resolved. Nothing is written.
 * Only reports from the caller's regions take part; a country rule only for a caller who may see the whole country.
 */
@Controller("/v1/rules/backtest")
@Secured({Role.Names.ADMIN, Role.Names.ANALYST})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "rules")
@ApiResponse(responseCode = "200", description = "What the rule would have done", content = @Content(
        mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BacktestAnswer.class)))
@ApiResponse(responseCode = "401", description = "No valid API key")
@ApiResponse(responseCode = "403", description = "The role is not admin or analyst")
@ApiResponse(responseCode = "404", description = "No rule with this ruleId")
@ApiResponse(responseCode = "422", description = "Invalid rule or range", content = @Content(
        mediaType = MediaType.APPLICATION_JSON_PROBLEM, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "Kafka did not answer in time")
public final class BacktestController {

    private static final Logger LOG = LoggerFactory.getLogger(BacktestController.class);

    private final RuleValidator validator;
    private final RuleCatalog catalog;
    private final HistoryReader history;
    private final Backtest backtest;
    private final Duration timeout;
    private final long maxReports;
    private final Duration retryAfter;

    public BacktestController(final RuleValidator validator, final RuleCatalog catalog, final HistoryReader history,
                              final RulesHost host,
                              @Value("${borderwatch.aggregator.backtest.timeout:60s}") final Duration timeout,
                              @Value("${borderwatch.aggregator.backtest.max-reports:2000000}") final long maxReports) {
        this.validator = validator;
        this.catalog = catalog;
        this.history = history;
        this.backtest = new Backtest(host.windows());
        this.timeout = timeout;
        this.maxReports = maxReports;
        this.retryAfter = host.retryAfter();
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Backtest a rule over the retained history",
            description = "Send a rule as for create (the id may be left out), or name a stored one with ruleId.")
    public BacktestAnswer run(
            @Parameter(description = "A stored rule instead of the body") @QueryValue @Nullable final String ruleId,
            @Parameter(description = "Only reports that occurred at or after this, ISO-8601") @QueryValue @Nullable
            final String from,
            @Parameter(description = "Only reports that occurred before this, ISO-8601") @QueryValue @Nullable
            final String to,
            @Body @Nullable final RuleBody body, final Authentication authentication) {
        final List<Violation> violations = new ArrayList<>();
        final Instant fromTime = instant("from", from, violations);
        final Instant toTime = instant("to", to, violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        final AlertRule rule = ruleId == null || ruleId.isBlank() ? validator.validate(body, null, false)
                : catalog.get(ruleId.strip()).orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND,
                        "There is no rule " + ruleId + "; GET /v1/rules lists them."));
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Predicate<Report> keep = report -> (fromTime == null || report.occurredAt() >= fromTime.toEpochMilli())
                && (toTime == null || report.occurredAt() < toTime.toEpochMilli())
                && principal.mayAccessRegion(report.region())
                && (RuleMatch.matches(rule, Level.REGION, report.region(), report.threatType())
                || RuleMatch.matches(rule, Level.COUNTRY, Report.countryOf(report.region()), report.threatType()));
        final long started = System.nanoTime();
        final HistoryReader.History read = history.read(keep, timeout, maxReports, retryAfter);
        final List<Breach> changes = backtest.run(rule, read.reports()).stream()
                .filter(change -> principal.mayAccessRegion((change.getRegion().contains("-") ? Level.REGION
                        : Level.COUNTRY).regionPattern(change.getRegion())))
                .toList();
        LOG.info("{} backtested rule {}: {} records read, {} matched, {} changes in {} ms", principal.name(),
                rule.getRuleId(), read.recordsRead(), read.reports().size(), changes.size(),
                (System.nanoTime() - started) / 1_000_000);
        return new BacktestAnswer(AvroMaps.toMap(rule), fromTime == null ? null : fromTime.toString(),
                toTime == null ? null : toTime.toString(), read.recordsRead(), read.reports().size(),
                read.undecodable(), count(changes, BreachStatus.FIRING), count(changes, BreachStatus.ESCALATED),
                count(changes, BreachStatus.RESOLVED), changes.stream().map(AvroMaps::toMap).toList());
    }

    private static int count(final List<Breach> changes, final BreachStatus status) {
        return (int) changes.stream().filter(change -> change.getStatus() == status).count();
    }

    private static Instant instant(final String field, final String text, final List<Violation> violations) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (final DateTimeParseException e) {
            violations.add(new Violation(field, "not-an-instant", "'" + text
                    + "' is not an ISO-8601 instant such as 2026-03-02T10:00:00Z"));
            return null;
        }
    }
}
