package org.borderwatch.bench.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Ingest alone, without the rest of {@code ./borderwatch bench}: an embedded broker, the packaged ingest service
 * (no aggregator, no alert service), then the suite's own {@link IngestLoad} single-event and batch runs. For
 * profiling the ingest path in a minute rather than the suite's half hour; the ingest PID is printed for
 * {@code jcmd <pid> JFR.start}.
 *
 * <p>{@code java -cp ... org.borderwatch.bench.ingest.IngestThroughput [clients] [warm-up s] [measured s]}
 * (64, 5, 20: the full suite's single-event settings).
 */
public final class IngestThroughput {

    private IngestThroughput() {
    }

    public static void main(final String[] args) throws Exception {
        final int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        final Duration warmup = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        final Duration measured = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        final Path dir = Files.createDirectories(Path.of("bench/target/ingest-throughput")
                .resolve("run-" + System.currentTimeMillis()));
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka, dir, new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS,
                    Map.of(), Map.of()), 0, 0)) {
                System.out.printf("ingest PID %d, logs in %s%n", pipeline.ingest().pid(), dir);
                final List<EventLines> pool = EventLines.generate(10_000, Duration.ofMinutes(30), 42);
                final String key = pipeline.credentials().adminKey();
                print(IngestLoad.single(pipeline.ingestApi(), key, pool, clients, warmup, measured));
                print(IngestLoad.batch(pipeline.ingestApi(), key, pool, 4, 1000, warmup, measured));
            }
        }
    }

    private static void print(final IngestLoad.Result result) {
        System.out.printf("%s: %,.0f events/s (accepted %,d, not accepted %,d, failed requests %,d)%n",
                result.what(), result.eventsPerSecond(), result.accepted(), result.notAccepted(),
                result.failedRequests());
    }
}
