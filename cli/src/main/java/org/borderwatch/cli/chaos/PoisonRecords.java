package org.borderwatch.cli.chaos;

import java.time.Duration;
import java.util.Map;

import org.borderwatch.bench.eos.EosResult;
import org.borderwatch.bench.eos.EosRun;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Scenario 5: a foreign producer (not the ingest service) writes nine kinds of poison straight to the input topics
 * among valid reports: garbage, an unknown schema fingerprint, a report under another region's key, an empty value,
 * a header without a body, a report cut in half, a seizure on the incidents topic, 64 KiB of random bytes and a
 * tombstone. {@code border.deadletter.v1} must hold exactly those, each once with its original bytes and source
 * topic, and every valid report must be counted ({@link EosRun} without kills).
 */
final class PoisonRecords implements ChaosScenario {

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "poison records on the input topics, dead letters = exactly those, valid reports counted";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) {
        final int reports = context.quick() ? 5_000 : 50_000;
        final EosRun.Settings settings = new EosRun.Settings(reports, 0, 0.02, 3,
                Duration.ofSeconds(Math.max(10, reports / 1000)), context.seed(), "512m", Map.of(), true);
        final EosResult result;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            result = new EosRun(settings).run(kafka.bootstrapServers(), AggregatorLauncher.defaultHome(),
                    context.dir("5-poison"));
        }
        context.progress().print(result.summary());
        AggregatorKills.report(result, 0, findings);
    }
}
