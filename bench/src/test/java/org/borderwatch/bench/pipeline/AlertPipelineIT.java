package org.borderwatch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.testkit.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path on a real broker, every service a child process from its packaged {@code target/}: reports published
 * through the ingest API, the aggregator (with a 1-minute window) fires and resolves a rule, two instances of the
 * alert service turn breaches into alerts and deliver them by SSE and signed webhooks to a receiver in this test.
 * Each test has its own rule, regions and webhook path.
 */
class AlertPipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafkaCluster kafka;
    private static Pipeline pipeline;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty(
                "borderwatch.bench.pipeline-dir", "target/pipeline-it"))), "run-");
        pipeline = Pipeline.start(kafka.bootstrapServers(), dir,
                new Pipeline.Settings(Pipeline.MINUTE_WINDOWS, Map.of(), Map.of()), 2);
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        // The services first: their clients would otherwise wait out their timeouts against a stopped broker.
        if (pipeline != null) {
            pipeline.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldNotifySseSubscriberAndWebhookOfFiringThenResolveWhenReportsCrossRuleAndBorderGoesQuiet() {
        // Given a rule on armed incursions in Khatlon over one minute: fires at 3, resolves below 1
        pipeline.createRule(Reports.eventCountRule("e2e-kt-incursions", "TJ-KT", "ARMED_INCURSION", "PT1M", 3, 1,
                "HIGH"));
        final String alertId = "e2e-kt-incursions|TJ-KT|ARMED_INCURSION";
        // And an operations center with a webhook subscription and an SSE stream for Khatlon
        final String secret = subscribeWebhook("/e2e", List.of("TJ-KT"));
        final SseClient sse = openStream("TJ-KT");

        // When three incursions are reported through the ingest API, well inside one minute (so they share the
        // current 1-minute window while the aggregator evaluates it)
        await("a moment at least 10 s before the end of a minute").atMost(Duration.ofSeconds(61))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 50);
        final Instant occurredAt = Instant.now();
        for (int i = 0; i < 3; i++) {
            pipeline.publish(Reports.incident("TJ-KT", "ARMED_INCURSION", occurredAt, "HIGH"));
        }

        // Then the SSE subscriber and the webhook receiver both get the FIRED alert
        await().atMost(WAIT).untilAsserted(() -> assertThat(changes(sse, alertId)).containsExactly("FIRED"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.received("/e2e"))
                .extracting(AlertPipelineIT::change).containsExactly("FIRED"));

        // And when the border stays quiet, the minute window ends and both get the RESOLVED alert
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(changes(sse, alertId))
                .containsExactly("FIRED", "RESOLVED"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.received("/e2e"))
                .extracting(AlertPipelineIT::change).containsExactly("FIRED", "RESOLVED"));

        final List<SseClient.SseEvent> events = sse.events();
        assertThat(events).allSatisfy(event -> assertThat(event.event()).isEqualTo("alert"));
        assertThat(Api.alert(events.get(0).data())).containsEntry("status", "FIRING").containsEntry("severity", "HIGH")
                .containsEntry("region", "TJ-KT").containsEntry("window", "PT1M").containsEntry("observedValue", 3.0);
        assertThat(Api.alert(events.get(1).data())).containsEntry("status", "RESOLVED").containsEntry("observedValue", 0.0);
        // And every webhook is for this alert, signed with the subscription's secret, freshly timestamped, and has
        // its own webhook-id
        final List<WebhookReceiver.Received> webhooks = receiver.received("/e2e");
        assertThat(webhooks).extracting(AlertPipelineIT::alertId).containsOnly(alertId);
        assertThat(webhooks).allSatisfy(webhook -> {
            assertThat(WebhookReceiver.verifies(webhook, secret)).as("signature of %s", webhook.id()).isTrue();
            assertThat(Long.parseLong(webhook.timestamp())).isCloseTo(Instant.now().getEpochSecond(),
                    org.assertj.core.data.Offset.offset(300L));
        });
        assertThat(webhooks).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
        sse.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeliverEachWebhookNotificationByExactlyOneInstanceWhenTwoAlertInstancesShareTheWebhookGroup() {
        // Given two alert instances in one webhook group (the pipeline's), one webhook subscription for Uzbekistan
        assertThat(pipeline.alerts()).hasSize(2);
        final List<String> regions = Region.CENTRAL_ASIA.stream().map(Region::code)
                .filter(code -> code.startsWith("UZ-")).toList();
        final String secret = subscribeWebhook("/two-instances", List.of("UZ-*"));
        final SseClient sse = openStream("UZ-*");
        final double deliveredBefore = delivered(0) + delivered(1);
        pipeline.createRule(Reports.eventCountRule("e2e-uz-weapons", "UZ-*", "WEAPONS_SMUGGLING", "PT24H", 1, 1,
                "HIGH"));

        // When one report per region fires the rule in every region, and disabling the rule resolves them all
        for (final String region : regions) {
            pipeline.publish(Reports.incident(region, "WEAPONS_SMUGGLING", Instant.now(), "MEDIUM"));
        }
        await().atMost(WAIT).until(() -> sse.events().size() == regions.size());
        final HttpResponse<String> disabled = pipeline.aggregatorApi().post("/v1/rules/e2e-uz-weapons/disable",
                pipeline.credentials().adminKey(), "");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        final int changes = 2 * regions.size();
        await().atMost(WAIT).until(() -> sse.events().size() == changes);
        assertThat(sse.events()).extracting(event -> (String) Api.alert(event.data()).get("change"))
                .containsOnly("FIRED", "RESOLVED");

        // Then the receiver gets each of the N changes exactly once: N distinct webhook-ids, none twice (it answers
        // 204 at once, so nothing is retried), and it stays so
        await().atMost(WAIT).until(() -> receiver.received("/two-instances").size() >= changes);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> receiver.received("/two-instances").size() == changes);
        final List<WebhookReceiver.Received> webhooks = receiver.received("/two-instances");
        assertThat(webhooks).extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates().hasSize(changes);
        assertThat(webhooks).extracting(webhook -> alertId(webhook) + " " + change(webhook))
                .doesNotHaveDuplicates();
        assertThat(webhooks).allSatisfy(webhook -> assertThat(WebhookReceiver.verifies(webhook, secret)).isTrue());
        // And both instances delivered some of them: the group split the partitions, neither sent everything
        final double first = delivered(0);
        final double second = delivered(1);
        assertThat(first + second - deliveredBefore).isEqualTo(changes);
        assertThat(List.of(first, second)).allSatisfy(count -> assertThat(count).isPositive());
        sse.close();
    }

    /** Creates a webhook subscription as the operations center; returns its secret once every instance knows it. */
    private static String subscribeWebhook(final String path, final List<String> regions) {
        final HttpResponse<String> created = pipeline.alertApi(0).post("/v1/subscriptions",
                pipeline.credentials().opsKey(), Map.of("channel", "webhook", "url", receiver.url(path),
                        "format", "json", "regions", regions));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        final Map<String, Object> subscription = Api.map(created.body());
        // Each instance dispatches its own partitions: each must have read the subscription first.
        for (int i = 0; i < pipeline.alerts().size(); i++) {
            final Api api = pipeline.alertApi(i);
            await().atMost(WAIT).until(() -> api.get("/v1/subscriptions/" + subscription.get("subscriptionId"),
                    pipeline.credentials().opsKey()).statusCode() == 200);
        }
        return (String) subscription.get("secret");
    }

    private static SseClient openStream(final String region) {
        final SseClient sse = SseClient.open(pipeline.alertApi(0).uri("/v1/alerts/stream?region="
                + region.replace("*", "%2A")), pipeline.credentials().opsKey(), null);
        await().atMost(WAIT).until(sse::isOpen);
        return sse;
    }

    private static List<String> changes(final SseClient sse, final String alertId) {
        return sse.events().stream().map(event -> Api.alert(event.data()))
                .filter(alert -> alertId.equals(alert.get("alertId")))
                .map(alert -> (String) alert.get("change")).toList();
    }

    /** The change of a json-format webhook ({@code {"type": "alert.fired", ...}}): {@code FIRED}. */
    private static String change(final WebhookReceiver.Received webhook) {
        return ((String) Api.map(webhook.body()).get("type")).substring("alert.".length())
                .toUpperCase(java.util.Locale.ROOT);
    }

    private static String alertId(final WebhookReceiver.Received webhook) {
        return (String) Api.alert(webhook.body()).get("alertId");
    }

    /** {@code borderwatch_alert_webhook_delivered_total} of one alert instance. */
    private static double delivered(final int instance) {
        final ServiceProcess alert = pipeline.alerts().get(instance);
        final String metrics = alert.get("prometheus").orElseThrow();
        return metrics.lines().filter(line -> line.startsWith("borderwatch_alert_webhook_delivered_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
