package org.borderwatch.cli.chaos;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.embedded.KafkaNodeProcesses;
import org.borderwatch.kafka.embedded.Security;
import org.borderwatch.schemas.Topics;

/**
 * Scenario 2: three brokers, each its own process (replication factor 3, min.insync.replicas 2). While agencies
 * publish through the ingest API, the leader of the partition they publish to is SIGKILLed five times (quick: two),
 * each time started again once a new leader took over, and the next kill waits until all replicas are back in sync.
 * Every event that got a 202 must be counted exactly once.
 *
 * <p>{@code --secured}: the same on the deployment's security (SASL_SSL, SCRAM-SHA-512, ACLs of
 * {@link AccessPolicy#BORDERWATCH}): ingest and the aggregator log in as their own principals, and the scenario's
 * own checks (leaders, in-sync replicas, the events on the topic) as {@link #AUDITOR}, which may only read the input
 * topics.
 */
final class LeaderKills implements ChaosScenario {

    /** The scenario's checks on a secured cluster: READ (and so DESCRIBE) of the input topics, nothing else. */
    static final String AUDITOR = "chaos-auditor";

    private static final String REGION = "TJ-GB";
    private static final String THREAT = "ARMED_INCURSION";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final AccessPolicy SECURED = new AccessPolicy(Stream.concat(
            AccessPolicy.BORDERWATCH.principals().stream(),
            Stream.of(new AccessPolicy.Principal(AUDITOR, Stream.of(Topics.INCIDENTS, Topics.SEIZURES)
                    .map(topic -> new AccessPolicy.Grant(ResourceType.TOPIC, PatternType.LITERAL, topic.name(),
                            AclOperation.READ))
                    .toList()))).toList());

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "partition leader SIGKILLed while agencies publish (3 brokers, RF 3, min ISR 2), each 202 counted once";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) throws Exception {
        final int kills = context.quick() ? 2 : 5;
        final Path dir = context.dir(context.secured() ? "2-leader-kills-secured" : "2-leader-kills");
        final Security security = context.secured() ? Security.saslSsl().accessPolicy(SECURED)
                : Security.plaintext();
        if (context.secured()) {
            findings.figure("SASL_SSL (SCRAM-SHA-512, TLS, ACLs): ingest, aggregator and the checks each log in as"
                    + " its own principal (%s, %s, %s)", AccessPolicy.INGEST, AccessPolicy.AGGREGATOR, AUDITOR);
        }
        try (KafkaNodeProcesses kafka = KafkaNodeProcesses.start(3, dir.resolve("kafka"), dir, "384m", security)) {
            kafka.createTopics();
            final Map<String, Object> auditor = kafka.clientProperties(AUDITOR);
            try (Pipeline pipeline = Pipeline.start(kafka, dir,
                    new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 1, 0);
                 NodeCluster cluster = new NodeCluster(auditor)) {
                final String key = pipeline.credentials().adminKey();
                final Instant occurredAt = Instant.now().minusSeconds(5);
                final int partition = cluster.partitionOf(REGION);
                final Traffic traffic = Traffic.start(pipeline.ingestApi(), key, REGION, THREAT, occurredAt, 4,
                        Duration.ZERO);
                final List<String> failovers = new ArrayList<>();
                for (int kill = 1; kill <= kills; kill++) {
                    await("all replicas in sync").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                            .until(() -> cluster.fullyInSync(3));
                    final long before = traffic.acceptedSoFar();
                    await("events acknowledged before kill").atMost(WAIT).until(() -> traffic.acceptedSoFar()
                            >= before + 20);
                    final int leader = cluster.leader(partition);
                    final long killedAt = System.nanoTime();
                    kafka.kill(leader);
                    final long atKill = traffic.acceptedSoFar();
                    await("a new leader of partition " + partition).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                            .until(() -> {
                                final int now = cluster.leader(partition);
                                return now >= 0 && now != leader;
                            });
                    final double election = (System.nanoTime() - killedAt) / 1e9;
                    await("events acknowledged after the failover").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                            .until(() -> traffic.acceptedSoFar() > atKill + 4);
                    final double resumed = (System.nanoTime() - killedAt) / 1e9;
                    failovers.add(String.format("kill %d: node %d, new leader after %.1f s, 202s again after %.1f s",
                            kill, leader, election, resumed));
                    context.say("%s", failovers.get(failovers.size() - 1));
                    kafka.startNode(leader);
                }
                await("all replicas in sync").atMost(WAIT).until(() -> cluster.fullyInSync(3));
                final Traffic.Tally tally = traffic.stop();
                findings.figure("%d leader kills of partition %d%s", kills, partition,
                        context.quick() ? " (quick; the full run: 5)" : "");
                failovers.forEach(failover -> findings.figure("%s", failover));
                findings.figure("%,d requests: %,d answered 503 (slowest %.1f s)", tally.requests(),
                        tally.unavailable(), tally.slowest503().toMillis() / 1000.0);
                findings.check(tally.otherStatus().isEmpty() && tally.noAnswer() == 0, "answers other than 202/503: "
                        + tally.otherStatus() + ", " + tally.noAnswer() + " without an answer " + tally.examples());
                Counted.check(auditor, pipeline.aggregatorApi(), key, REGION, THREAT, occurredAt, tally, findings);
            }
        }
    }
}
