package org.borderwatch.alert.stream;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.alert.api.AlertFilter;
import org.borderwatch.alert.format.AlertRenderer;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.log.LogPosition;
import org.borderwatch.alert.log.LoggedAlert;
import org.borderwatch.alert.silence.NotificationPolicy;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.service.body.BodyRules;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.Role;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * {@code GET /v1/alerts/stream}: alert changes as Server-Sent Events ({@code event: alert}), filtered like
 * {@code GET /v1/alerts} or by an SSE subscription, always within the caller's regions, silences applied. Each event's
 * id is its {@link LogPosition} in {@code border.alerts.v1}; reconnecting with it as {@code Last-Event-ID} resumes
 * right after it — on any instance, after any restart. Without Last-Event-ID the stream starts with the next change.
 * A comment line every {@code borderwatch.alert.sse.heartbeat} keeps idle connections open.
 */
@Controller("/v1/alerts/stream")
@Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
@Tag(name = "alerts")
public final class StreamController {

    public static final String EVENT_NAME = "alert";

    private static final Logger LOG = LoggerFactory.getLogger(StreamController.class);
    private static final long PACE = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(2);

    private final AlertLog log;
    private final AlertRenderer renderer;
    private final NotificationPolicy policy;
    private final SubscriptionStore subscriptions;
    private final SseConfig config;
    private final StreamMetrics metrics;
    private final AtomicReference<RenderedChange> lastRendered = new AtomicReference<>();

    /** The last change rendered, so thousands of streams in one format render it once. */
    private record RenderedChange(long sequence, SubscriptionFormat format, String data) {
    }

    public StreamController(final AlertLog log, final AlertRenderer renderer, final NotificationPolicy policy,
                            final SubscriptionStore subscriptions, final SseConfig config,
                            final StreamMetrics metrics) {
        this.log = log;
        this.renderer = renderer;
        this.policy = policy;
        this.subscriptions = subscriptions;
        this.config = config;
        this.metrics = metrics;
    }

    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "Alert changes as Server-Sent Events; resume with Last-Event-ID")
    public Publisher<Event<String>> stream(@Header("Last-Event-ID") @Nullable final String lastEventId,
                                           @QueryValue("lastEventId") @Nullable final String lastEventIdParam,
                                           @QueryValue @Nullable final String region,
                                           @QueryValue @Nullable final String threatType,
                                           @QueryValue @Nullable final String minSeverity,
                                           @QueryValue @Nullable final String format,
                                           @QueryValue @Nullable final String subscription,
                                           final Authentication authentication) {
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Predicate<Alert> filter;
        final SubscriptionFormat renderAs;
        final String subscriptionId;
        if (subscription != null) {
            final Subscription stored = subscriptions.find(subscription)
                    .filter(s -> s.getOwner().equals(principal.name()) || principal.role() == Role.ADMIN)
                    .filter(s -> s.getChannel() == SubscriptionChannel.SSE)
                    .orElseThrow(() -> ProblemException.of(HttpStatus.NOT_FOUND, "No SSE subscription "
                            + subscription + " of this credential."));
            final AlertFilter visible = AlertFilter.visibleTo(principal);
            // Read the subscription at each change: disabling or deleting it ends delivery.
            filter = alert -> visible.test(alert) && subscriptions.find(subscription)
                    .map(current -> SubscriptionStore.matches(current, alert)).orElse(false);
            renderAs = stored.getFormat();
            subscriptionId = stored.getSubscriptionId();
        } else {
            filter = AlertFilter.parse(principal, region, threatType, minSeverity, null, null, null);
            renderAs = parseFormat(format);
            subscriptionId = null;
        }
        final String resumeFrom = lastEventId != null ? lastEventId : lastEventIdParam;
        final LogPosition cursor = LogPosition.parse(resumeFrom, log.partitions()).orElseGet(log::end);
        return events(cursor, filter, subscriptionId, renderAs);
    }

    private Flux<Event<String>> events(final LogPosition cursor, final Predicate<Alert> filter,
                                       final String subscriptionId, final SubscriptionFormat format) {
        final Sinks.Many<Event<String>> sink = Sinks.many().unicast().onBackpressureBuffer();
        final Sinks.Empty<Void> overflow = Sinks.empty();
        final AtomicInteger backlog = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();
        final Runnable[] stop = new Runnable[1];
        final String openedAt = cursor.id();
        // Replay from the tail and live changes come on the alert log's thread; a resume from before the tail
        // comes on a reader thread first, which waits here while the client is behind rather than overflow it.
        stop[0] = log.listen(cursor.copy(), logged -> {
            if (!cursor.isBefore(logged.partition(), logged.offset())) {
                return; // already delivered on an earlier connection
            }
            if (logged.replayed() && !awaitClientBelow(backlog, config.maxBacklog() / 2, ended)) {
                sink.tryEmitComplete();
                overflow.tryEmitEmpty();
                return;
            }
            cursor.advancePast(logged.partition(), logged.offset());
            if (!policy.notifies(logged.alert(), filter, subscriptionId)) {
                return;
            }
            if (backlog.incrementAndGet() > config.maxBacklog()) {
                LOG.info("Closing an SSE stream that fell {} events behind; it resumes with Last-Event-ID",
                        config.maxBacklog());
                metrics.overflowed();
                sink.tryEmitComplete();
                overflow.tryEmitEmpty();
                return;
            }
            sink.tryEmitNext(Event.of(render(logged, format)).name(EVENT_NAME).id(cursor.id()));
        }, () -> {
            sink.tryEmitComplete();
            overflow.tryEmitEmpty();
        });
        metrics.opened();
        final Flux<Event<String>> changes = sink.asFlux().doOnNext(event -> backlog.decrementAndGet());
        final Flux<Event<String>> heartbeats = Flux.interval(config.heartbeat())
                .map(tick -> Event.of("").comment("heartbeat"))
                .takeUntilOther(overflow.asMono());
        return Flux.just(Event.of("").comment("stream open at " + openedAt))
                .concatWith(Flux.merge(changes, heartbeats))
                .doFinally(signal -> {
                    ended.set(true);
                    stop[0].run();
                    metrics.closed();
                });
    }

    /**
     * Waits while the client has more than {@code limit} events not yet written. False when the stream ended
     * meanwhile, or when the client read nothing for a heartbeat interval: the caller then closes the stream, as
     * for an overflow, and the client resumes with its Last-Event-ID.
     */
    private boolean awaitClientBelow(final AtomicInteger backlog, final int limit, final AtomicBoolean ended) {
        final long deadline = System.nanoTime() + config.heartbeat().toNanos();
        while (backlog.get() > limit) {
            if (ended.get() || System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(PACE);
        }
        return true;
    }

    private String render(final LoggedAlert logged, final SubscriptionFormat format) {
        if (logged.replayed()) {
            return renderer.render(format, logged.alert(), AlertRenderer.changeId(logged.alert())).text();
        }
        final RenderedChange last = lastRendered.get();
        if (last != null && last.sequence() == logged.sequence() && last.format() == format) {
            return last.data();
        }
        final String data = renderer.render(format, logged.alert(), AlertRenderer.changeId(logged.alert())).text();
        lastRendered.set(new RenderedChange(logged.sequence(), format, data));
        return data;
    }

    private static SubscriptionFormat parseFormat(final String format) {
        if (format == null) {
            return SubscriptionFormat.JSON;
        }
        try {
            return SubscriptionFormat.valueOf(format.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw ProblemException.invalid(java.util.List.of(new Violation("format", BodyRules.ENUM,
                    "'" + JsonFields.echo(format) + "' is not one of json, cloudevents, cap")));
        }
    }
}
