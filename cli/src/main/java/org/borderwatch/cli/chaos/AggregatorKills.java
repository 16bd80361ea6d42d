package org.borderwatch.cli.chaos;

import java.time.Duration;
import java.util.Map;

import org.borderwatch.bench.eos.EosResult;
import org.borderwatch.bench.eos.EosRun;
import org.borderwatch.bench.process.AggregatorLauncher;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * Scenario 1: the exactly-once verification of the bench ({@link EosRun}): the aggregator SIGKILLed three times
 * ({@code --kills}) while it processes 200,000 reports (quick: 10,000; {@code --events}), then every aggregate key's last committed value must equal the
 * figures recomputed from the input, each late report and each poison record must be on its topic exactly once.
 */
final class AggregatorKills implements ChaosScenario {

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "aggregator SIGKILLed while it counts, aggregates = recomputed values";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) {
        // Publishing lasts at least 60 s: each restart takes 5-10 s, and a kill only proves something while input
        // is still unprocessed (with 30 s, a fast CI machine processed everything before the third kill).
        final int reports = context.events() > 0 ? context.events() : context.quick() ? 10_000 : 200_000;
        final EosRun.Settings settings = new EosRun.Settings(reports, context.kills(), 0.05, 6,
                Duration.ofSeconds(Math.max(60, reports / 500)), context.seed(), "512m", Map.of(), false);
        final EosResult result;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            result = new EosRun(settings).run(kafka.bootstrapServers(), AggregatorLauncher.defaultHome(),
                    context.dir("1-aggregator-kills"));
        }
        context.progress().print(result.summary());
        report(result, context.kills(), findings);
    }

    /** The figures and problems of an exactly-once run; scenario 5 reports its run the same way. */
    static void report(final EosResult result, final int kills, final Findings findings) {
        findings.figure("%,d input records (%,d reports, %,d retried, %d late, %d poison)", result.inputRecords(),
                result.reports(), result.duplicates(), result.lateReports(), result.poisonRecords());
        findings.figure("%,d aggregate keys %s the recomputed values", result.expectedKeys(),
                result.passed() ? "all equal to" : "compared with");
        for (final EosResult.Kill kill : result.kills()) {
            findings.figure("kill %d at %.1f s with %,d of %,d committed", kill.number(),
                    kill.at().toMillis() / 1000.0, kill.committed(), kill.published());
        }
        findings.figure("%,d output records of aborted transactions skipped", result.abortedOutputRecords());
        findings.figure("late events %d/%d, dead letters %d/%d", result.lateEventsRead(), result.lateReports(),
                result.deadLettersRead(), result.poisonRecords());
        result.problems().forEach(findings::problem);
        findings.check(result.kills().size() == kills, result.kills().size() + " SIGKILLs, expected " + kills);
        result.kills().stream().filter(kill -> kill.committed() >= result.inputRecords()).forEach(kill ->
                findings.problem("kill " + kill.number() + " came after all input was processed"));
    }
}
