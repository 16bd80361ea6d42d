package org.borderwatch.aggregator.rules.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.problem.Problem;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules on {@code border.alert-rules.v1}, for administrators. Writes are validated, produced with
 * {@code acks=all} and answered once Kafka acknowledged them; the topology applies a change within a punctuation
 * interval (a new rule fires at once on the current window, a disabled or deleted one resolves its breaches).
 */
@Controller("/v1/rules")
@Secured(org.borderwatch.service.security.Role.Names.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "rules")
@ApiResponse(responseCode = "401", description = "No valid API key")
@ApiResponse(responseCode = "403", description = "The role is not admin")
@ApiResponse(responseCode = "503", description = "Kafka did not acknowledge, or the rules are not read yet; retry"
        + " after Retry-After seconds", content = @Content(mediaType = MediaType.APPLICATION_JSON_PROBLEM,
        schema = @Schema(implementation = Problem.class)))
public final class RulesController {

    private static final Logger LOG = LoggerFactory.getLogger(RulesController.class);
    private static final Duration CATALOG_WAIT = Duration.ofSeconds(5);

    private final RuleCatalog catalog;
    private final RuleWriter writer;
    private final RuleValidator validator;
    private final Duration retryAfter;

    public RulesController(final RuleCatalog catalog, final RuleWriter writer, final RuleValidator validator,
                           final RulesHost host) {
        this.catalog = catalog;
        this.writer = writer;
        this.validator = validator;
        this.retryAfter = host.retryAfter();
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Every rule, by id")
    @ApiResponse(responseCode = "200", description = "The rules", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RulesAnswer.class)))
    public RulesAnswer list() {
        ready();
        return new RulesAnswer(catalog.all().stream().map(AvroMaps::toMap).toList());
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "One rule")
    @ApiResponse(responseCode = "200", description = "The rule")
    @ApiResponse(responseCode = "404", description = "No such rule")
    public Map<String, Object> get(@PathVariable final String id) {
        ready();
        return AvroMaps.toMap(existing(id));
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a rule", description = "The id is generated when the body has none.")
    @ApiResponse(responseCode = "201", description = "Stored in Kafka")
    @ApiResponse(responseCode = "409", description = "A rule with this id exists (update it with PUT)")
    @ApiResponse(responseCode = "422", description = "Invalid rule; errors names every field and rule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_PROBLEM,
                    schema = @Schema(implementation = Problem.class)))
    public HttpResponse<Map<String, Object>> create(@Body @Nullable final RuleBody body,
                                                    final Authentication authentication) {
        ready();
        final AlertRule rule = validator.validate(body, null, false);
        if (catalog.get(rule.getRuleId()).isPresent()) {
            throw new ProblemException(HttpStatus.CONFLICT, ProblemException.TYPE_INVALID, "The rule exists",
                    "Rule " + rule.getRuleId() + " exists; change it with PUT /v1/rules/" + rule.getRuleId() + ".",
                    List.of(new Violation("ruleId", "already-exists", "rule " + rule.getRuleId() + " exists")),
                    null);
        }
        writer.put(rule);
        LOG.info("{} created rule {}", authentication.getName(), rule.getRuleId());
        return HttpResponse.created(AvroMaps.toMap(rule), URI.create("/v1/rules/" + rule.getRuleId()));
    }

    @Put(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a rule", description = "Every field as for create; absent optional fields take"
            + " their defaults. Applies from the next punctuation on.")
    @ApiResponse(responseCode = "200", description = "Stored in Kafka")
    @ApiResponse(responseCode = "404", description = "No such rule (create it with POST)")
    @ApiResponse(responseCode = "422", description = "Invalid rule", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_PROBLEM, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> update(@PathVariable final String id, @Body @Nullable final RuleBody body,
                                      final Authentication authentication) {
        ready();
        existing(id);
        final AlertRule rule = validator.validate(body, id, true);
        writer.put(rule);
        LOG.info("{} updated rule {}", authentication.getName(), id);
        return AvroMaps.toMap(rule);
    }

    @Post(uri = "/{id}/disable", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Disable a rule", description = "Kept, but not evaluated; its active breaches resolve.")
    @ApiResponse(responseCode = "200", description = "Stored in Kafka")
    @ApiResponse(responseCode = "404", description = "No such rule")
    public Map<String, Object> disable(@PathVariable final String id, final Authentication authentication) {
        return setEnabled(id, false, authentication);
    }

    @Post(uri = "/{id}/enable", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable a disabled rule")
    @ApiResponse(responseCode = "200", description = "Stored in Kafka")
    @ApiResponse(responseCode = "404", description = "No such rule")
    public Map<String, Object> enable(@PathVariable final String id, final Authentication authentication) {
        return setEnabled(id, true, authentication);
    }

    @Delete(uri = "/{id}")
    @Operation(summary = "Delete a rule", description = "Writes its tombstone; its active breaches resolve.")
    @ApiResponse(responseCode = "204", description = "Deleted in Kafka")
    @ApiResponse(responseCode = "404", description = "No such rule")
    public HttpResponse<Void> delete(@PathVariable final String id, final Authentication authentication) {
        ready();
        existing(id);
        writer.delete(id);
        LOG.info("{} deleted rule {}", authentication.getName(), id);
        return HttpResponse.noContent();
    }

    private Map<String, Object> setEnabled(final String id, final boolean enabled,
                                           final Authentication authentication) {
        ready();
        final AlertRule rule = AlertRule.newBuilder(existing(id)).setEnabled(enabled).build();
        writer.put(rule);
        LOG.info("{} {} rule {}", authentication.getName(), enabled ? "enabled" : "disabled", id);
        return AvroMaps.toMap(rule);
    }

    private AlertRule existing(final String id) {
        return catalog.get(id).orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND, "There is no rule "
                + id + "; GET /v1/rules lists them."));
    }

    /** Answers from a catalog that has read the whole topic, or says to come back. */
    private void ready() {
        try {
            catalog.caughtUp().get(CATALOG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException | ExecutionException e) {
            throw ProblemException.unavailable("The rules are not read from Kafka yet; try again later.",
                    retryAfter);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while reading the rules.", retryAfter);
        }
    }
}
