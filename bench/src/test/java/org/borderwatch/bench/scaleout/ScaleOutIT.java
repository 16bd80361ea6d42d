package org.borderwatch.bench.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.kafka.embedded.Security;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two aggregator and two alert instances (plus ingest), every service a child process from its packaged
 * {@code target/} logging in as its own SCRAM principal, on a three-broker SASL_SSL cluster with the access
 * policy's ACLs (replication factor 3, min.insync.replicas 2): the whole pipeline end to end over SASL_SSL, then
 * the scale-out scenarios of {@link ScaleOutRun} in order, the two SIGKILLs last. The same scenarios print their
 * figures as the {@code ScaleOut} command.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    /** The broker's minimum: a SIGKILLed member leaves its group within 6 s. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    private static EmbeddedKafkaCluster kafka;
    private static Pipeline pipeline;
    private static ScaleOutRun run;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().brokers(3).port(0).security(Security.saslSsl()).build().start();
        kafka.createTopics();
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty(
                "borderwatch.bench.scaleout-dir", "target/scaleout-it"))), "run-");
        pipeline = Pipeline.start(kafka, dir, ScaleOutRun.deployment(1, SESSION_TIMEOUT), 2, 2);
        run = new ScaleOutRun(pipeline, SESSION_TIMEOUT.plusSeconds(90), System.out);
        run.subscribe();
    }

    @AfterAll
    static void stop() {
        // The services first: their clients would otherwise wait out their timeouts against a stopped cluster.
        if (run != null) {
            run.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldAnswerEveryRegionFromEitherAggregatorWhenTheKeysAreSplitBetweenTwoInstances() {
        final ScaleOutRun.QueryFigures figures = run.queries();

        assertThat(figures.problems()).isEmpty();
        // Both instances own some regions, and each answered the other's through host routing.
        assertThat(figures.owners()).hasSize(ScaleOutRun.REGIONS.size());
        assertThat(figures.owners().values()).containsOnly("127.0.0.1:" + pipeline.aggregators().get(0).port(),
                "127.0.0.1:" + pipeline.aggregators().get(1).port()).hasSizeGreaterThan(1);
        assertThat(figures.forwarded()).allSatisfy(forwarded -> assertThat(forwarded).isPositive());
    }

    @Test
    @Order(2)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldDeliverEachWebhookOnceWhenTwoAlertInstancesSplitTheAlertLog() {
        final ScaleOutRun.WebhookFigures figures = run.webhooksOnce();

        assertThat(figures.problems()).isEmpty();
        assertThat(figures.distinctIds()).isEqualTo(figures.expected()).isEqualTo(figures.received());
        assertThat(figures.sentByInstance()).hasSize(2).allSatisfy(sent -> assertThat(sent).isPositive());
        assertThat(figures.sentByInstance().stream().mapToDouble(Double::doubleValue).sum())
                .isEqualTo(figures.expected());
    }

    @Test
    @Order(3)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldResumeOnTheOtherAlertInstanceWithoutGapOrDuplicateWhenAStreamReconnectsWithItsLastEventId() {
        final ScaleOutRun.SseFigures figures = run.sseResume();

        assertThat(figures.problems()).isEmpty();
        assertThat(figures.live()).containsExactly(figures.expected(), figures.expected());
        assertThat(figures.beforeClose()).isPositive();
        assertThat(figures.resumed()).isEqualTo(figures.expected() - figures.beforeClose());
        assertThat(figures.missing()).isZero();
        assertThat(figures.repeated()).isZero();
    }

    @Test
    @Order(4)
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void shouldAnswerAndCountMovedRegionsOnTheSurvivorWhenAnAggregatorIsKilled() {
        final ScaleOutRun.AggregatorFailover figures = run.aggregatorFailover();

        assertThat(figures.problems()).isEmpty();
        assertThat(figures.moved()).isPositive();
        assertThat(figures.wrong()).isZero();
        // The survivor cannot take over before the group has noticed the death.
        assertThat(figures.allCounted()).isGreaterThan(Duration.ZERO);
    }

    @Test
    @Order(5)
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryNextWebhookOnceFromTheSurvivorWhenAnAlertInstanceIsKilled() {
        final ScaleOutRun.AlertFailover figures = run.alertFailover();

        assertThat(figures.problems()).isEmpty();
        assertThat(figures.distinctIds()).isEqualTo(figures.expected()).isEqualTo(figures.received());
        assertThat(figures.survivorSse()).isEqualTo(figures.expected());
        // Over the whole run: no webhook-id was ever delivered twice.
        final int[] totals = run.webhookTotals();
        assertThat(totals[0]).isEqualTo(totals[1]);
    }
}
