package org.borderwatch.cli.chaos;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.ServiceProcess;

/**
 * Scenario 4: the single broker of the dev stack's shape is stopped for 60 s (quick: 15 s) while agencies keep
 * publishing. Every service must survive it and resume without a restart: the same PIDs before and after, ingest
 * answering 503 (never 202) within its bound while the broker is away, events published after recovery counted,
 * and an alert firing from reports published after recovery.
 */
final class BrokerOutage implements ChaosScenario {

    /** max.block.ms + delivery.timeout.ms of the ingest service (2 s + 3 s), plus a second of HTTP and scheduling. */
    static final Duration UNAVAILABLE_BOUND = Duration.ofSeconds(6);

    private static final String REGION = "TJ-KT";
    private static final String COUNTED = "ILLEGAL_CROSSING";
    private static final String ALERTING = "ARMED_INCURSION";

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "the only broker down, every service survives and resumes without a restart";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) throws InterruptedException {
        final Duration outage = Duration.ofSeconds(context.quick() ? 15 : 60);
        findings.figure("broker down %d s%s", outage.toSeconds(), context.quick() ? " (quick; the full run: 60 s)" : "");
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), context.dir("4-broker-outage"),
                    new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 1)) {
                final String key = pipeline.credentials().adminKey();
                pipeline.createRule(Reports.eventCountRule("chaos-incursions", REGION, ALERTING, "PT1H", 3, 1,
                        "HIGH"));
                final Instant occurredAt = Instant.now().minusSeconds(5);
                final Map<ServiceProcess, Long> pids = new LinkedHashMap<>();
                pids.put(pipeline.ingest(), pipeline.ingest().pid());
                pids.put(pipeline.aggregator(), pipeline.aggregator().pid());
                pids.put(pipeline.alerts().get(0), pipeline.alerts().get(0).pid());

                // Given agencies publishing, and the pipeline counting them
                final Traffic traffic = Traffic.start(pipeline.ingestApi(), key, REGION, COUNTED, occurredAt, 2,
                        Duration.ofMillis(100));
                await("the first events are acknowledged").atMost(Duration.ofSeconds(30))
                        .until(() -> traffic.acceptedSoFar() >= 20);

                // When the broker is stopped for the outage and started again on its ports and data
                kafka.stopBroker(0);
                final long acceptedAtStop = traffic.acceptedSoFar();
                final long down = System.nanoTime();
                context.say("broker stopped; %d events acknowledged so far", acceptedAtStop);
                boolean allAlive = true;
                while (System.nanoTime() - down < outage.toNanos()) {
                    allAlive &= pids.keySet().stream().allMatch(ServiceProcess::isAlive);
                    TimeUnit.MILLISECONDS.sleep(500);
                }
                // A request in flight when the broker stopped may still be acknowledged: its record was written.
                final long acceptedWhileDown = traffic.acceptedSoFar() - acceptedAtStop;
                final long unavailable = traffic.unavailableSoFar();
                kafka.startBroker(0);
                final long up = System.nanoTime();
                context.say("broker back after %d s", TimeUnit.NANOSECONDS.toSeconds(up - down));
                await("ingest acknowledges again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> traffic.acceptedSoFar() > acceptedAtStop + acceptedWhileDown);
                final Duration toFirst202 = Duration.ofNanos(System.nanoTime() - up);
                await("more events are acknowledged").atMost(Duration.ofSeconds(30))
                        .until(() -> traffic.acceptedSoFar() >= acceptedAtStop + acceptedWhileDown + 20);
                final Traffic.Tally tally = traffic.stop();

                // Then: reports after recovery fire the rule
                final Instant alertAt = Instant.now().minusSeconds(1);
                final Traffic.Tally incursions = Traffic.publish(pipeline.ingestApi(), key, REGION, ALERTING,
                        alertAt, 3).tally();
                final String alertId = "chaos-incursions|" + REGION + "|" + ALERTING;
                final long alertStart = System.nanoTime();
                boolean fired = true;
                try {
                    await("alert " + alertId + " fires").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> "FIRING".equals(Alerts.status(pipeline.alertApi(0),
                                    pipeline.credentials().opsKey(), alertId)));
                } catch (final org.awaitility.core.ConditionTimeoutException e) {
                    fired = false;
                }

                findings.figure("%,d requests while down and after: %,d answered 503 (slowest %.1f s), %d acknowledged"
                        + " while down (in flight at the stop)", tally.requests(), tally.unavailable(),
                        tally.slowest503().toMillis() / 1000.0, acceptedWhileDown);
                findings.figure("first 202 %.1f s after the broker was back", toFirst202.toMillis() / 1000.0);
                findings.check(allAlive && pids.entrySet().stream().allMatch(entry -> entry.getKey().isAlive()
                                && entry.getKey().pid() == entry.getValue()),
                        "a service exited during the outage: " + pids.keySet().stream()
                                .map(process -> process.name() + " alive=" + process.isAlive()).toList());
                findings.figure("same PIDs %s", pids.values());
                findings.check(unavailable > 0, "no request was answered 503 while the broker was down");
                findings.check(tally.slowest503().compareTo(UNAVAILABLE_BOUND) <= 0, "a 503 took "
                        + tally.slowest503().toMillis() + " ms, the bound is " + UNAVAILABLE_BOUND.toMillis() + " ms");
                findings.check(acceptedWhileDown <= 2, acceptedWhileDown + " requests were acknowledged while the"
                        + " broker was down (2 clients: at most their requests in flight at the stop)");
                findings.check(tally.otherStatus().isEmpty() && tally.noAnswer() == 0, "answers other than 202/503: "
                        + tally.otherStatus() + ", " + tally.noAnswer() + " without an answer " + tally.examples());
                findings.check(incursions.accepted().size() == 3, "after recovery only "
                        + incursions.accepted().size() + " of 3 incursions were acknowledged " + incursions.examples());
                findings.check(fired, "alert " + alertId + " did not fire within 60 s of the reports");
                if (fired) {
                    findings.figure("alert fired %.1f s after the reports", (System.nanoTime() - alertStart) / 1e9);
                }
                Counted.check(kafka.clientProperties(AccessPolicy.ADMIN), pipeline.aggregatorApi(), key, REGION,
                        COUNTED, occurredAt, tally, findings);
            }
        }
    }
}
