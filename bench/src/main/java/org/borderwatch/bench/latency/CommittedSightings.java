package org.borderwatch.bench.latency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.IsolationLevel;
import org.borderwatch.bench.kafka.TopicReader;
import org.borderwatch.schemas.Topics;

/**
 * When each alert's two exactly-once hops became visible: a {@code read_committed} reader of
 * {@code border.breaches.v1} stamps the first breach of each key (the aggregator's transaction committed), one of
 * {@code border.alerts.v1} the first change of each alert (the lifecycle's transaction committed). Both keys are
 * the alert id ({@code <rule>|<region>|<threat type>}). With the probe's 202 and its SSE event, they split the
 * latency at the two commits: what the aggregator took, what the alert service's lifecycle took, and what the alert
 * log and the stream took after it.
 *
 * <p>Each reader has a thread of its own, so one topic's poll never delays the other's stamp; they run in the
 * harness's JVM beside the SSE subscriber and share its scheduling, which is what a consumer of these topics would
 * see. Stamps are {@link System#nanoTime()}, as the probes' own.
 */
public final class CommittedSightings implements AutoCloseable {

    private final Map<String, Long> breaches = new ConcurrentHashMap<>();
    private final Map<String, Long> alerts = new ConcurrentHashMap<>();
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean running = true;

    public CommittedSightings(final String bootstrapServers) {
        readers.add(reader(bootstrapServers, Topics.BREACHES.name(), breaches));
        readers.add(reader(bootstrapServers, Topics.ALERTS.name(), alerts));
        readers.forEach(Thread::start);
    }

    private Thread reader(final String bootstrapServers, final String topic, final Map<String, Long> firstSeen) {
        // Made here, so that a cluster that cannot be reached fails the run at once; used and closed by its thread
        // alone (a consumer is not for two threads).
        final TopicReader reader = new TopicReader(bootstrapServers, topic, IsolationLevel.READ_COMMITTED,
                record -> {
                    if (record.key() != null) {
                        firstSeen.putIfAbsent(new String(record.key(), StandardCharsets.UTF_8), System.nanoTime());
                    }
                });
        final Thread thread = new Thread(() -> {
            try (reader) {
                while (running) {
                    reader.poll();
                }
            }
        }, "committed-" + topic);
        thread.setDaemon(true);
        return thread;
    }

    /** When an alert's breach and its first change were first readable with read_committed; -1 while not seen. */
    public record Seen(long breachNanos, long alertNanos) {

        public boolean both() {
            return breachNanos >= 0 && alertNanos >= 0;
        }
    }

    public Seen seen(final String alertId) {
        return new Seen(breaches.getOrDefault(alertId, -1L), alerts.getOrDefault(alertId, -1L));
    }

    @Override
    public void close() {
        running = false;
        for (final Thread thread : readers) {
            try {
                thread.join(2_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
