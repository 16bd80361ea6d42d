package org.borderwatch.alert.subscription;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.alert.delivery.webhook.AddressGuard;
import org.borderwatch.alert.delivery.webhook.Attempt;
import org.borderwatch.alert.delivery.webhook.Deliveries;
import org.borderwatch.alert.delivery.webhook.DeliveryLog;
import org.borderwatch.alert.delivery.webhook.WebhookConfig;
import org.borderwatch.alert.delivery.webhook.WebhookSender;
import org.borderwatch.alert.delivery.webhook.WebhookSigner;
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.body.JsonBody;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;

/**
 * Subscriptions of operations centers, stored in the compacted {@code border.subscriptions.v1}. A subscription's
 * regions must lie within its owner's; it only ever receives alerts within the owner's regions. A webhook's URL
 * passes the SSRF guard; its secret is shown once, on creation and on rotation, and rests encrypted
 * ({@link SubscriptionSecrets}). Owners see their own subscriptions,
 * admins all; anyone else gets 404.
 */
@Controller("/v1/subscriptions")
@Secured({Role.Names.OPS_CENTER, Role.Names.ADMIN})
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "subscriptions")
public final class SubscriptionController {

    private static final int DEFAULT_DELIVERIES = 20;
    private static final int MAX_DELIVERIES = DeliveryLog.KEPT;

    private final SubscriptionStore store;
    private final AddressGuard guard;
    private final WebhookConfig webhooks;
    private final AlertConfig config;
    private final Deliveries deliveries;
    private final DeliveryLog deliveryLog;
    private final SubscriptionSecrets secrets;

    public SubscriptionController(final SubscriptionStore store, final WebhookSender sender,
                                  final WebhookConfig webhooks, final AlertConfig config, final Deliveries deliveries,
                                  final DeliveryLog deliveryLog, final SubscriptionSecrets secrets) {
        this.store = store;
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.deliveryLog = deliveryLog;
        this.guard = sender.guard();
        this.webhooks = webhooks;
        this.config = config;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe to alerts by webhook or SSE; a webhook's signing secret is in the answer, once")
    public HttpResponse<Map<String, Object>> create(
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SubscriptionRequest.class)))
            @Body @Nullable final byte[] body, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final JsonFields fields = JsonBody.object(body, "a subscription", SubscriptionRequest.FIELDS);
        final SubscriptionRequest request = SubscriptionRequest.read(fields);
        fields.violations().addAll(RegionPatterns.check("regions", request.regions(), principal.regions()));
        final SubscriptionChannel channel = request.channel();
        if (channel == SubscriptionChannel.WEBHOOK) {
            checkUrl(request.url(), fields.violations());
        } else if (channel == SubscriptionChannel.SSE && request.url() != null) {
            fields.violation("sse-without-url", "url", "an SSE subscription has no url; stream it from"
                    + " GET /v1/alerts/stream?subscription=<id>");
        }
        SubscriptionRequest.checkRepeatInterval(fields, request.repeatInterval(), config.minRepeatInterval());
        fields.throwIfInvalid();
        final List<String> regions = request.regions();
        final List<ThreatType> threatTypes = request.threatTypes();
        final Severity minSeverity = request.minSeverity();
        final SubscriptionFormat format = request.format();
        final Instant now = Instant.now();
        final String secret = channel == SubscriptionChannel.WEBHOOK ? WebhookSigner.newSecret() : null;
        final Subscription subscription = Subscription.newBuilder()
                .setSubscriptionId("sub_" + UUID.randomUUID().toString().replace("-", ""))
                .setOwner(principal.name())
                .setOwnerRegions(principal.regions())
                .setRegions(regions)
                .setThreatTypes(threatTypes)
                .setMinSeverity(minSeverity)
                .setChannel(channel)
                .setFormat(format)
                .setUrl(channel == SubscriptionChannel.WEBHOOK ? request.url() : null)
                .setSecrets(secret == null ? List.of() : List.of(secret)) // encrypted by the store
                .setPreviousSecretExpiresAt(null)
                .setEnabled(true)
                .setDisabledReason(null)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .setRepeatIntervalMillis(request.repeatInterval() == null ? 0 : request.repeatInterval().toMillis())
                .build();
        store.save(subscription.getSubscriptionId(), subscription, config.writeTimeout());
        final Map<String, Object> answer = view(subscription);
        if (secret != null) {
            answer.put("secret", secret);
        }
        return HttpResponse.<Map<String, Object>>created(answer)
                .headers(headers -> headers.location(URI.create("/v1/subscriptions/"
                        + subscription.getSubscriptionId())));
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's subscriptions (an admin's: all)")
    public Map<String, Object> list(final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        return Map.of("subscriptions", store.all().stream().filter(s -> mayManage(principal, s))
                .map(SubscriptionController::view).toList());
    }

    @Get(uri = "/{subscriptionId}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "One subscription (without its secret)")
    public Map<String, Object> get(@PathVariable final String subscriptionId, final Authentication authentication) {
        return view(owned(subscriptionId, authentication));
    }

    @Patch(uri = "/{subscriptionId}", consumes = {MediaType.APPLICATION_JSON, JsonBody.MERGE_PATCH},
            produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a subscription: the fields sent replace the stored ones (JSON merge patch), with the"
            + " rules of create; the channel cannot change")
    public Map<String, Object> edit(
            @PathVariable final String subscriptionId,
            @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SubscriptionRequest.class)))
            @Body @Nullable final byte[] body, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Subscription current = owned(subscriptionId, authentication);
        final JsonFields fields = JsonBody.object(body, "a subscription", SubscriptionRequest.FIELDS);
        final SubscriptionRequest patch = SubscriptionRequest.readPatch(fields);
        if (fields.has("regions")) {
            // Within the editor's regions, and within the owner's: nothing outside them is ever delivered.
            final List<Violation> outside = RegionPatterns.check("regions", patch.regions(), principal.regions());
            fields.violations().addAll(outside.isEmpty()
                    ? RegionPatterns.check("regions", patch.regions(), current.getOwnerRegions()) : outside);
        }
        if (fields.has("url")) {
            if (current.getChannel() == SubscriptionChannel.WEBHOOK) {
                checkUrl(patch.url(), fields.violations());
            } else {
                fields.violation("sse-without-url", "url", "an SSE subscription has no url");
            }
        }
        SubscriptionRequest.checkRepeatInterval(fields, patch.repeatInterval(), config.minRepeatInterval());
        fields.throwIfInvalid();
        final Subscription.Builder edited = Subscription.newBuilder(current).setUpdatedAt(Instant.now());
        if (fields.has("regions")) {
            edited.setRegions(patch.regions());
        }
        if (fields.has("threatTypes")) {
            edited.setThreatTypes(patch.threatTypes());
        }
        if (patch.minSeverity() != null) {
            edited.setMinSeverity(patch.minSeverity());
        }
        if (patch.format() != null) {
            edited.setFormat(patch.format());
        }
        if (patch.url() != null) {
            edited.setUrl(patch.url());
        }
        if (patch.repeatInterval() != null) {
            edited.setRepeatIntervalMillis(patch.repeatInterval().toMillis());
        }
        final Subscription saved = edited.build();
        store.save(subscriptionId, saved, config.writeTimeout());
        return view(saved);
    }

    @Delete(uri = "/{subscriptionId}")
    @Operation(summary = "Delete a subscription; its pending webhook retries are dropped")
    public HttpResponse<Void> delete(@PathVariable final String subscriptionId, final Authentication authentication) {
        owned(subscriptionId, authentication);
        store.save(subscriptionId, null, config.writeTimeout());
        return HttpResponse.noContent();
    }

    @Post(uri = "/{subscriptionId}/rotate-secret", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "New webhook secret; the old one keeps signing (second signature) during the grace period")
    public Map<String, Object> rotate(@PathVariable final String subscriptionId, final Authentication authentication) {
        final Subscription current = owned(subscriptionId, authentication);
        if (current.getChannel() != SubscriptionChannel.WEBHOOK) {
            throw ProblemException.invalid(List.of(new Violation("channel", "webhook-only",
                    "only webhook subscriptions have a secret")));
        }
        final String secret = WebhookSigner.newSecret();
        final Instant now = Instant.now();
        // The store encrypts both again with the active key: rotating a webhook secret also moves it to a new key.
        final Subscription rotated = Subscription.newBuilder(current)
                .setSecrets(List.of(secret, secrets.open(current).get(0)))
                .setEncryptedSecrets(List.of())
                .setPreviousSecretExpiresAt(now.plus(webhooks.secretRotationGrace()))
                .setUpdatedAt(now)
                .build();
        store.save(subscriptionId, rotated, config.writeTimeout());
        final Map<String, Object> body = view(rotated);
        body.put("secret", secret);
        return body;
    }

    @Post(uri = "/{subscriptionId}/test", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a signed test notification to the webhook now; answers with the receiver's status,"
            + " the latency and the error, and records the attempt in the delivery status")
    public Map<String, Object> test(@PathVariable final String subscriptionId, final Authentication authentication) {
        final Subscription current = owned(subscriptionId, authentication);
        if (current.getChannel() != SubscriptionChannel.WEBHOOK) {
            throw ProblemException.invalid(List.of(new Violation("channel", "webhook-only",
                    "only a webhook subscription can be sent a test; an SSE subscription is read by its client")));
        }
        final Attempt made = deliveries.test(current);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriptionId", subscriptionId);
        body.put("webhookId", made.webhookId());
        body.put("delivered", WebhookSender.Result.DELIVERED.name().equals(made.result()));
        body.put("result", made.result().toLowerCase(Locale.ROOT));
        body.put("status", made.status());
        body.put("latencyMs", made.latencyMillis());
        body.put("error", made.error());
        body.put("at", made.at().toString());
        return body;
    }

    @Get(uri = "/{subscriptionId}/deliveries", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Delivery status: the last webhook attempts (newest first) and counts over the retained"
            + " window, whether the subscription is enabled and why not")
    public Map<String, Object> deliveries(@PathVariable final String subscriptionId,
                                          @QueryValue @Nullable final Integer limit,
                                          final Authentication authentication) {
        final Subscription current = owned(subscriptionId, authentication);
        final int max = limit == null ? DEFAULT_DELIVERIES : limit;
        if (max < 1 || max > MAX_DELIVERIES) {
            throw ProblemException.invalid(List.of(new Violation("limit", "range",
                    "limit must be between 1 and " + MAX_DELIVERIES)));
        }
        final DeliveryLog.Status status = deliveryLog.status(subscriptionId, max);
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("attempts", status.attempts());
        summary.put("delivered", status.delivered());
        summary.put("failed", status.failed());
        summary.put("consecutiveFailures", status.consecutiveFailures());
        summary.put("givenUp", status.givenUp());
        summary.put("pendingRetries", status.pending());
        summary.put("lastDeliveredAt", status.lastDeliveredAt() == null ? null : status.lastDeliveredAt().toString());
        summary.put("lastFailedAt", status.lastFailedAt() == null ? null : status.lastFailedAt().toString());
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriptionId", subscriptionId);
        body.put("channel", current.getChannel().name().toLowerCase(Locale.ROOT));
        body.put("enabled", current.getEnabled());
        body.put("disabledReason", current.getDisabledReason());
        body.put("summary", summary);
        body.put("attempts", status.recent().stream().map(DeliveryLog::view).toList());
        return body;
    }

    @Post(uri = "/{subscriptionId}/enable", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable a subscription again (e.g. after its endpoint answered 410 Gone)")
    public Map<String, Object> enable(@PathVariable final String subscriptionId, final Authentication authentication) {
        final Subscription current = owned(subscriptionId, authentication);
        if (current.getChannel() == SubscriptionChannel.WEBHOOK) {
            final List<Violation> violations = new ArrayList<>();
            checkUrl(current.getUrl(), violations);
            if (!violations.isEmpty()) {
                throw ProblemException.invalid(violations);
            }
        }
        final Subscription enabled = Subscription.newBuilder(current).setEnabled(true).setDisabledReason(null)
                .setUpdatedAt(Instant.now()).build();
        store.save(subscriptionId, enabled, config.writeTimeout());
        return view(enabled);
    }

    private void checkUrl(final String url, final List<Violation> violations) {
        if (url == null || url.isBlank()) {
            violations.add(new Violation("url", "required", "a webhook subscription needs a url"));
            return;
        }
        if (url.length() > SubscriptionRequest.MAX_URL) {
            violations.add(new Violation("url", "max-length", "a url may have at most " + SubscriptionRequest.MAX_URL
                    + " characters"));
            return;
        }
        try {
            guard.check(url);
        } catch (final AddressGuard.RefusedException e) {
            violations.add(new Violation("url", "ssrf-guard", e.getMessage()));
        }
    }

    private Subscription owned(final String subscriptionId, final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        return store.find(subscriptionId).filter(s -> mayManage(principal, s))
                .orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND, "No subscription " + subscriptionId
                        + " of this credential."));
    }

    private static boolean mayManage(final BorderwatchPrincipal principal, final Subscription subscription) {
        return principal.role() == Role.ADMIN || subscription.getOwner().equals(principal.name());
    }

    /** The subscription as the API shows it: never its secrets, in clear or encrypted. */
    static Map<String, Object> view(final Subscription subscription) {
        final Map<String, Object> view = new LinkedHashMap<>(AvroMaps.toMap(subscription));
        view.remove("secrets");
        view.remove("encryptedSecrets");
        view.put("channel", subscription.getChannel().name().toLowerCase(Locale.ROOT));
        view.put("format", subscription.getFormat().name().toLowerCase(Locale.ROOT));
        view.remove("repeatIntervalMillis");
        view.put("repeatInterval", subscription.getRepeatIntervalMillis() == 0 ? null
                : Duration.ofMillis(subscription.getRepeatIntervalMillis()).toString());
        return view;
    }
}
