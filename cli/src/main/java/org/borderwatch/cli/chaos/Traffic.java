package org.borderwatch.cli.chaos;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Reports;

/**
 * Agencies publishing through the ingest API while a fault is injected: {@code clients} threads, each posting one
 * incident after another (all in one region, threat type and occurredAt, so they share one aggregate window), each
 * with a fresh eventId. Every answer is recorded: the eventIds that got 202 (they must be counted exactly once), the
 * 503s and how long they took (the API's bound), anything else (never allowed: no 5xx but 503, no 4xx for a valid
 * report), and requests that got no answer at all.
 */
final class Traffic implements AutoCloseable {

    /** What the agencies saw. {@code slowest503}: the longest time to a 503. */
    record Tally(Set<UUID> accepted, long unavailable, Duration slowest503, Map<Integer, Long> otherStatus,
                 long noAnswer, List<String> examples) {

        long requests() {
            return accepted.size() + unavailable + otherStatus.values().stream().mapToLong(Long::longValue).sum()
                    + noAnswer;
        }
    }

    private final Api ingest;
    private final String key;
    private final String region;
    private final String threatType;
    private final Instant occurredAt;
    private final Duration pause;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong slowest503Nanos = new AtomicLong();
    private final Map<Integer, Long> otherStatus = new ConcurrentHashMap<>();
    private final AtomicLong noAnswer = new AtomicLong();
    private final List<String> examples = Collections.synchronizedList(new ArrayList<>());

    private Traffic(final Api ingest, final String key, final String region, final String threatType,
                    final Instant occurredAt, final Duration pause) {
        this.ingest = ingest;
        this.key = key;
        this.region = region;
        this.threatType = threatType;
        this.occurredAt = occurredAt;
        this.pause = pause;
    }

    /** Starts {@code clients} publishing threads; each waits {@code pause} after an answer. */
    static Traffic start(final Api ingest, final String key, final String region, final String threatType,
                         final Instant occurredAt, final int clients, final Duration pause) {
        final Traffic traffic = new Traffic(ingest, key, region, threatType, occurredAt, pause);
        for (int i = 0; i < clients; i++) {
            final Thread thread = new Thread(traffic::publishUntilStopped, "chaos-agency-" + i);
            thread.setDaemon(true);
            traffic.threads.add(thread);
            thread.start();
        }
        return traffic;
    }

    /** Publishes {@code count} incidents one after another from the calling thread; see {@link #tally()}. */
    static Traffic publish(final Api ingest, final String key, final String region, final String threatType,
                           final Instant occurredAt, final int count) {
        final Traffic traffic = new Traffic(ingest, key, region, threatType, occurredAt, Duration.ZERO);
        for (int i = 0; i < count; i++) {
            traffic.publishOne();
        }
        return traffic;
    }

    long acceptedSoFar() {
        return accepted.size();
    }

    long unavailableSoFar() {
        return unavailable.get();
    }

    /** Stops the threads (each finishes its request in flight) and returns what they saw. */
    Tally stop() {
        running.set(false);
        for (final Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(40));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return tally();
    }

    Tally tally() {
        return new Tally(Set.copyOf(accepted), unavailable.get(), Duration.ofNanos(slowest503Nanos.get()),
                Map.copyOf(otherStatus), noAnswer.get(), List.copyOf(examples));
    }

    @Override
    public void close() {
        stop();
    }

    private void publishUntilStopped() {
        while (running.get()) {
            publishOne();
            if (!pause.isZero()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(pause.toNanos());
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void publishOne() {
        final Map<String, Object> incident = Reports.incident(region, threatType, occurredAt, "HIGH");
        final UUID eventId = UUID.fromString((String) incident.get("eventId"));
        final long start = System.nanoTime();
        try {
            final HttpResponse<String> response = ingest.post("/v1/incidents", key, incident);
            final long took = System.nanoTime() - start;
            if (response.statusCode() == 202) {
                accepted.add(eventId);
            } else if (response.statusCode() == 503) {
                unavailable.incrementAndGet();
                slowest503Nanos.accumulateAndGet(took, Math::max);
            } else {
                otherStatus.merge(response.statusCode(), 1L, Long::sum);
                if (examples.size() < 3) {
                    examples.add(response.statusCode() + " " + response.body());
                }
            }
        } catch (final UncheckedIOException e) {
            noAnswer.incrementAndGet();
            if (examples.size() < 3) {
                examples.add("no answer: " + e.getCause());
            }
        }
    }
}
