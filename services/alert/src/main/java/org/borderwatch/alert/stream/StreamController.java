package org.borderwatch.alert.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.netty.channel.EventLoop;
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

/**
 * {@code GET /v1/alerts/stream}: alert changes as Server-Sent Events ({@code event: alert}), filtered like
 * {@code GET /v1/alerts} or by an SSE subscription, always within the caller's regions, silences applied. Each event's
 * id is its {@link LogPosition} in {@code border.alerts.v1}; reconnecting with it as {@code Last-Event-ID} resumes
 * right after it — on any instance, after any restart. Without Last-Event-ID the stream starts with the next change.
 * A comment line every {@code borderwatch.alert.sse.heartbeat} keeps idle connections open.
 *
 * <p>Fan-out: a change is encoded once per format ({@link SseFrame}) and handed, in one queue per event loop
 * ({@link LoopQueue}), to the event loops of the streams' connections, which filter it per stream and write the same
 * bytes to each: the alert log's thread only queues, and the work spreads over the event loops.
 */
@Controller("/v1/alerts/stream")
@Secured({Role.Names.OPS_CENTER, Role.Names.ANALYST, Role.Names.ADMIN})
@Tag(name = "alerts")
public final class StreamController {

    public static final String EVENT_NAME = "alert";

    private static final Logger LOG = LoggerFactory.getLogger(StreamController.class);
    private static final long PACE = TimeUnit.MILLISECONDS.toNanos(2);

    private final AlertLog log;
    private final AlertRenderer renderer;
    private final NotificationPolicy policy;
    private final SubscriptionStore subscriptions;
    private final SseConfig config;
    private final StreamMetrics metrics;
    /** One per event loop of the HTTP server (a handful), for as long as the service runs. */
    private final Map<EventLoop, LoopQueue> loopQueues = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<EncodedChange> lastEncoded =
            new AtomicReferenceArray<>(SubscriptionFormat.values().length);

    /** The last change encoded in one format, at the stream position of its id. */
    private record EncodedChange(long sequence, LogPosition position, String data, SseFrame frame) {
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
    @ApiResponse(responseCode = "200", description = "The event stream: `event: alert` events, each with its `id`"
            + " (the log position, for Last-Event-ID) and the alert in the chosen format as `data`; a comment line"
            + " when the stream opens and every heartbeat interval", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string")))
    public Publisher<SseFrame> stream(@Header("Last-Event-ID") @Nullable final String lastEventId,
                                           @QueryValue("lastEventId") @Nullable final String lastEventIdParam,
                                           @QueryValue @Nullable final String region,
                                           @QueryValue @Nullable final String threatType,
                                           @QueryValue @Nullable final String minSeverity,
                                           @QueryValue @Nullable final String format,
                                           @QueryValue @Nullable final String subscription,
                                           final Authentication authentication,
                                           final HttpRequest<?> request) {
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
        return events(cursor, filter, subscriptionId, renderAs, request);
    }

    private Flux<SseFrame> events(final LogPosition cursor, final Predicate<Alert> filter,
                                  final String subscriptionId, final SubscriptionFormat format,
                                  final HttpRequest<?> request) {
        final EventLoop loop = request instanceof NettyHttpRequest<?> netty
                ? netty.getChannelHandlerContext().channel().eventLoop() : null;
        final SseConnection connection = new SseConnection(loop);
        final Runnable[] stop = new Runnable[1];
        // First in the queue, so it precedes whatever the log hands over below.
        connection.emit(SseFrame.comment("stream open at " + cursor.id()));
        final Consumer<LoggedAlert> deliver = logged -> deliver(logged, connection, cursor, filter,
                subscriptionId, format);
        final LoopQueue live = loop == null ? null : loopQueues.computeIfAbsent(loop, LoopQueue::new);
        // Changes held in memory (the tail, then live ones) come on the alert log's thread, under its lock: they are
        // handed to the connection's event loop, in order, and delivered there. A resume from before the tail
        // comes on a reader thread first and is delivered on it, waiting while the client is behind rather than
        // overflowing it; it ends before the first change from memory.
        stop[0] = log.listen(cursor.copy(), logged -> {
            if (logged.replayed()) {
                if (awaitClientBelow(connection, config.maxBacklog() / 2)) {
                    deliver.accept(logged);
                } else {
                    connection.complete();
                }
            } else if (live != null) {
                live.execute(() -> deliver.accept(logged));
            } else {
                deliver.accept(logged);
            }
        }, connection::complete);
        metrics.opened();
        return connection.frames()
                .doOnSubscribe(subscribed -> connection.beatEvery(config.heartbeat()))
                .doFinally(signal -> {
                    connection.end();
                    stop[0].run();
                    metrics.closed();
                });
    }

    /** One change to one stream: its id, whether the stream may see it, the backlog bound, the frame. */
    private void deliver(final LoggedAlert logged, final SseConnection connection, final LogPosition cursor,
                         final Predicate<Alert> filter, final String subscriptionId,
                         final SubscriptionFormat format) {
        if (connection.ended() || !cursor.isBefore(logged.partition(), logged.offset())) {
            return; // closed meanwhile, or already delivered on an earlier connection
        }
        cursor.advancePast(logged.partition(), logged.offset());
        if (!policy.notifies(logged.alert(), filter, subscriptionId)) {
            return;
        }
        if (connection.backlog() >= config.maxBacklog()) {
            LOG.info("Closing an SSE stream that fell {} events behind; it resumes with Last-Event-ID",
                    config.maxBacklog());
            metrics.overflowed();
            connection.complete();
            return;
        }
        connection.emit(frame(logged, format, cursor));
    }

    /**
     * Waits while the client has more than {@code limit} events not yet written. False when the stream ended
     * meanwhile, or when the client read nothing for a heartbeat interval: the caller then closes the stream, as
     * for an overflow, and the client resumes with its Last-Event-ID.
     */
    private boolean awaitClientBelow(final SseConnection connection, final int limit) {
        final long deadline = System.nanoTime() + config.heartbeat().toNanos();
        while (connection.backlog() > limit) {
            if (connection.ended() || System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(PACE);
        }
        return true;
    }

    /**
     * The change as an SSE event with this stream's id. Every live stream in one format gets the same event for a
     * change (their cursors agree once they have followed the log), so it is encoded once per format and the same
     * bytes are written to each stream; a stream whose cursor differs gets its own.
     */
    private SseFrame frame(final LoggedAlert logged, final SubscriptionFormat format, final LogPosition cursor) {
        if (logged.replayed()) {
            return SseFrame.event(cursor.id(), EVENT_NAME, render(logged, format));
        }
        final EncodedChange last = lastEncoded.get(format.ordinal());
        if (last != null && last.sequence() == logged.sequence()) {
            if (last.position().equals(cursor)) {
                return last.frame();
            }
            return SseFrame.event(cursor.id(), EVENT_NAME, last.data());
        }
        final String data = render(logged, format);
        final SseFrame frame = SseFrame.event(cursor.id(), EVENT_NAME, data);
        lastEncoded.set(format.ordinal(), new EncodedChange(logged.sequence(), cursor.copy(), data, frame));
        return frame;
    }

    private String render(final LoggedAlert logged, final SubscriptionFormat format) {
        return renderer.render(format, logged.alert(), AlertRenderer.changeId(logged.alert())).text();
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
