package org.borderwatch.cli.chaos;

import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.IsolationLevel;
import org.awaitility.core.ConditionTimeoutException;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.bench.kafka.TopicReader;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.schemas.Topics;

/**
 * "Every event that got a 202 is counted exactly once", checked two ways: every acknowledged eventId is on
 * {@code border.incidents.v1} (read_committed), and the aggregator's hourly window of the traffic's region and
 * threat type counts exactly the distinct eventIds on the topic: acknowledged ones plus those whose 503 or lost
 * answer hid a write that happened (outcome unknown is allowed to be stored, never twice counted).
 */
final class Counted {

    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private Counted() {
    }

    /** @param client where and as whom to read the topic: bootstrap servers and, on a secured cluster, a login */
    static void check(final Map<String, Object> client, final Api aggregator, final String analystKey,
                      final String region, final String threatType, final Instant occurredAt,
                      final Traffic.Tally tally, final Findings findings) {
        final Map<UUID, Integer> onTopic = new HashMap<>();
        try (TopicReader reader = new TopicReader(client, Topics.INCIDENTS.name(),
                IsolationLevel.READ_COMMITTED, record -> {
                    final BorderIncident incident = Topics.INCIDENTS.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value());
                    if (incident.getRegion().equals(region) && incident.getThreatType().name().equals(threatType)) {
                        onTopic.merge(incident.getEventId(), 1, Integer::sum);
                    }
                })) {
            reader.readToEnd();
        }
        final Set<UUID> missing = new HashSet<>(tally.accepted());
        missing.removeAll(onTopic.keySet());
        final long twice = onTopic.values().stream().filter(count -> count > 1).count();
        findings.figure("%,d acknowledged (202), %,d distinct on the topic (%,d of them written although the"
                + " answer was not 202), %d written twice", tally.accepted().size(), onTopic.size(),
                onTopic.size() - (tally.accepted().size() - missing.size()), twice);
        findings.check(missing.isEmpty(), missing.size() + " acknowledged events are not on "
                + Topics.INCIDENTS.name() + ", e.g. " + missing.stream().limit(3).toList());
        final AtomicLong counted = new AtomicLong(-1);
        try {
            await("the aggregator counts " + onTopic.size() + " events").atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        counted.set(eventCount(aggregator, analystKey, region, threatType, occurredAt));
                        return counted.get() == onTopic.size();
                    });
        } catch (final ConditionTimeoutException e) {
            findings.problem("the aggregator counts " + counted.get() + " events of " + region + "/" + threatType
                    + ", the topic holds " + onTopic.size() + " distinct ones");
        }
        findings.figure("aggregator counted %,d", counted.get());
    }

    /** {@code eventCount} of the PT1H window holding {@code occurredAt}, -1 while the aggregator cannot answer. */
    static long eventCount(final Api aggregator, final String key, final String region, final String threatType,
                           final Instant occurredAt) {
        final Instant hour = occurredAt.truncatedTo(ChronoUnit.HOURS);
        final HttpResponse<String> response;
        try {
            response = aggregator.get("/v1/aggregates?region=" + region + "&threatType="
                + threatType + "&window=PT1H&from=" + encode(hour) + "&to=" + encode(hour.plusSeconds(1)), key);
        } catch (final UncheckedIOException e) {
            return -1;
        }
        if (response.statusCode() != 200) {
            return -1;
        }
        final List<Map<String, Object>> aggregates = Api.list(response.body(), "aggregates");
        return aggregates.stream().mapToLong(aggregate -> ((Number) aggregate.get("eventCount")).longValue()).sum();
    }

    private static String encode(final Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }
}
