package org.borderwatch.bench.latency;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.bench.workload.Region;

/**
 * Reports published through the ingest API's batch endpoint ({@code POST /v1/batch}, NDJSON) at a steady rate: every
 * {@value #TICK_MS} ms one batch of rate/{@code 1000/TICK_MS} incidents of threat types no rule watches, over all
 * regions, occurred now. Open loop: a tick does not wait for the previous batch's answer; at most
 * {@value #MAX_IN_FLIGHT} batches are in flight, a tick beyond that is skipped and counted.
 */
public final class BackgroundLoad implements AutoCloseable {

    /** Threat types no latency rule watches. */
    public static final List<String> THREAT_TYPES = List.of("ILLEGAL_CROSSING", "GOODS_SMUGGLING");

    private static final JsonFactory JSON = new JsonFactory();
    private static final int TICK_MS = 50;
    private static final int MAX_IN_FLIGHT = 16;
    private static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH");

    private final Api ingest;
    private final String key;
    private final int perBatch;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "background-load");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong notAccepted = new AtomicLong();
    private final AtomicLong skippedTicks = new AtomicLong();

    private BackgroundLoad(final Api ingest, final String key, final int eventsPerSecond) {
        this.ingest = ingest;
        this.key = key;
        this.perBatch = Math.max(1, eventsPerSecond * TICK_MS / 1000);
    }

    /** Starts publishing at once. */
    public static BackgroundLoad start(final Api ingest, final String key, final int eventsPerSecond) {
        final BackgroundLoad load = new BackgroundLoad(ingest, key, eventsPerSecond);
        if (eventsPerSecond > 0) {
            load.scheduler.scheduleAtFixedRate(load::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        }
        return load;
    }

    private void tick() {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            skippedTicks.incrementAndGet();
            return;
        }
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final Instant now = Instant.now();
        final StringBuilder body = new StringBuilder(perBatch * 300);
        for (int i = 0; i < perBatch; i++) {
            final Region region = Region.CENTRAL_ASIA.get(random.nextInt(Region.CENTRAL_ASIA.size()));
            body.append(Reports.batchLine(Reports.incident(region.code(),
                    THREAT_TYPES.get(random.nextInt(THREAT_TYPES.size())), now,
                    SEVERITIES.get(random.nextInt(SEVERITIES.size()))))).append('\n');
        }
        inFlight.incrementAndGet();
        sent.addAndGet(perBatch);
        ingest.postAsync("/v1/batch", key, "application/x-ndjson", body.toString())
                .whenComplete((response, failure) -> {
                    inFlight.decrementAndGet();
                    final long ok = failure == null ? acceptedLines(response) : 0;
                    accepted.addAndGet(ok);
                    notAccepted.addAndGet(perBatch - ok);
                });
    }

    /**
     * The {@code accepted} count of a batch answer (200 or 207), 0 for any other answer. Read as a stream up to
     * that member: the answer names every line (~150 KB for 1,000), and turning it into maps took a share of the
     * 2 cores that the broker and the service under test needed.
     */
    public static long acceptedLines(final HttpResponse<String> response) {
        if (response.statusCode() != 200 && response.statusCode() != 207) {
            return 0;
        }
        try (JsonParser parser = JSON.createParser(response.body())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_NUMBER_INT && "accepted".equals(name)) {
                    return parser.getLongValue();
                }
                parser.skipChildren();
            }
            return 0;
        } catch (final IOException e) {
            return 0;
        }
    }

    /** Reports the ingest API answered {@code accepted} for (202 semantics: Kafka has them). */
    public long accepted() {
        return accepted.get();
    }

    /** Reports sent whose batch failed, or whose line was rejected or failed. */
    public long notAccepted() {
        return notAccepted.get();
    }

    public long sent() {
        return sent.get();
    }

    /** Ticks skipped because {@value #MAX_IN_FLIGHT} batches were still unanswered: the service fell behind. */
    public long skippedTicks() {
        return skippedTicks.get();
    }

    public Map<String, Long> counts() {
        return Map.of("sent", sent(), "accepted", accepted(), "notAccepted", notAccepted(),
                "skippedTicks", skippedTicks());
    }

    /** Stops publishing; batches in flight still complete. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
