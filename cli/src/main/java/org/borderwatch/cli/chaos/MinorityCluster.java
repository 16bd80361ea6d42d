package org.borderwatch.cli.chaos;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.KafkaNodeProcesses;

/**
 * Scenario 3: three brokers (RF 3, min.insync.replicas 2), two of them SIGKILLed while agencies publish. With one
 * broker left no write can be acknowledged: ingest must answer 503 within its bound and never 202 (beyond the
 * requests in flight at the kill), for 30 s (quick: 15 s). After both are back, every event that got a 202 is on
 * the topic and counted exactly once.
 */
final class MinorityCluster implements ChaosScenario {

    private static final String REGION = "UZ-SU";
    private static final String THREAT = "WEAPONS_SMUGGLING";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int CLIENTS = 4;

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "two of three brokers down: ingest 503 within its bound, never 202; nothing acknowledged lost";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) throws Exception {
        final Duration down = Duration.ofSeconds(context.quick() ? 15 : 30);
        final Path dir = context.dir("3-minority");
        try (KafkaNodeProcesses kafka = KafkaNodeProcesses.start(3, dir.resolve("kafka"), dir, "384m")) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), dir,
                    new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 0);
                 NodeCluster cluster = new NodeCluster(kafka.clientProperties(AccessPolicy.ADMIN))) {
                final String key = pipeline.credentials().adminKey();
                final Instant occurredAt = Instant.now().minusSeconds(5);
                await("all replicas in sync").atMost(WAIT).until(() -> cluster.fullyInSync(3));
                final Traffic traffic = Traffic.start(pipeline.ingestApi(), key, REGION, THREAT, occurredAt, CLIENTS,
                        Duration.ofMillis(50));
                await("events acknowledged").atMost(WAIT).until(() -> traffic.acceptedSoFar() >= 50);

                // When two of the three brokers die
                kafka.kill(1);
                kafka.kill(2);
                final long atKill = traffic.acceptedSoFar();
                final long unavailableAtKill = traffic.unavailableSoFar();
                final long killedAt = System.nanoTime();
                TimeUnit.NANOSECONDS.sleep(down.toNanos());
                final long acceptedWhileDown = traffic.acceptedSoFar() - atKill;
                final long unavailableWhileDown = traffic.unavailableSoFar() - unavailableAtKill;
                context.say("%d s with one broker: %d acknowledged, %d answered 503", down.toSeconds(),
                        acceptedWhileDown, unavailableWhileDown);

                // Then, both back
                kafka.startNode(1);
                kafka.startNode(2);
                final long back = System.nanoTime();
                await("202s again").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> traffic.acceptedSoFar() > atKill + acceptedWhileDown + 20);
                final double resumed = (System.nanoTime() - back) / 1e9;
                final Traffic.Tally tally = traffic.stop();
                findings.figure("%d s with one broker of three%s: %,d answered 503, %d acknowledged (%d clients in"
                                + " flight at the kill)", TimeUnit.NANOSECONDS.toSeconds(back - killedAt),
                        context.quick() ? " (quick; the full run: 30 s)" : "", unavailableWhileDown,
                        acceptedWhileDown, CLIENTS);
                findings.figure("slowest 503 %.1f s (bound %.0f s)", tally.slowest503().toMillis() / 1000.0,
                        BrokerOutage.UNAVAILABLE_BOUND.toSeconds() * 1.0);
                findings.figure("202s again %.1f s after both brokers were back", resumed);
                findings.check(acceptedWhileDown <= CLIENTS, acceptedWhileDown + " events acknowledged while two of"
                        + " three brokers were down (at most the " + CLIENTS + " requests in flight at the kill)");
                findings.check(unavailableWhileDown > 0, "no 503 while two of three brokers were down");
                findings.check(tally.slowest503().compareTo(BrokerOutage.UNAVAILABLE_BOUND) <= 0, "a 503 took "
                        + tally.slowest503().toMillis() + " ms, the bound is "
                        + BrokerOutage.UNAVAILABLE_BOUND.toMillis() + " ms");
                findings.check(tally.otherStatus().isEmpty() && tally.noAnswer() == 0, "answers other than 202/503: "
                        + tally.otherStatus() + ", " + tally.noAnswer() + " without an answer " + tally.examples());
                Counted.check(kafka.clientProperties(AccessPolicy.ADMIN), pipeline.aggregatorApi(), key, REGION,
                        THREAT, occurredAt, tally, findings);
            }
        }
    }
}
