package org.borderwatch.cli.chaos;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.testkit.WebhookReceiver;

/**
 * Scenario 6: a webhook receiver answers 503 to everything, so the alert service's notifications wait in its
 * durable retry chains ({@code border.webhook-retries.v1}); the alert service is SIGKILLed with those retries
 * pending, the receiver recovers, a new instance of the same deployment starts. Each notification must then reach
 * the receiver with a 200, and every attempt of one notification must carry one webhook-id (before and after the
 * crash), so that a receiver dropping duplicates by webhook-id sees each exactly once. The receiver is the test
 * kit's {@link WebhookReceiver}; signatures are checked with its own Standard Webhooks verifier.
 */
final class AlertKill implements ChaosScenario {

    private static final String PATH = "/chaos";
    private static final List<String> REGIONS = List.of("TJ-KT", "TJ-GB", "TJ-DU", "TJ-SU");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Override
    public int number() {
        return 6;
    }

    @Override
    public String title() {
        return "alert service SIGKILLed with webhook retries pending, each notification delivered, once per"
                + " webhook-id";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
             WebhookReceiver receiver = new WebhookReceiver()) {
            kafka.createTopics();
            final Map<String, String> alertEnv = Map.of("BORDERWATCH_ALERT_WEBHOOKS_RETRY_DELAYS",
                    "1s,2s,2s,2s,2s,2s,2s");
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), context.dir("6-alert-kill"),
                    new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS, Map.of(), alertEnv), 1)) {
                // Given a receiver that fails every attempt, subscribed to Tajikistan
                receiver.script(PATH, Collections.nCopies(100_000, 503).toArray(Integer[]::new));
                final String ops = pipeline.credentials().opsKey();
                final HttpResponse<String> created = pipeline.alertApi(0).post("/v1/subscriptions", ops,
                        Map.of("channel", "webhook", "url", receiver.url(PATH), "format", "json",
                                "regions", List.of("TJ-*")));
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("POST /v1/subscriptions answered " + created.statusCode() + ": "
                            + created.body());
                }
                final Map<String, Object> subscription = Api.map(created.body());
                final String secret = (String) subscription.get("secret");
                pipeline.createRule(Reports.eventCountRule("chaos-webhook", "TJ-*", "ILLEGAL_CROSSING", "PT24H",
                        1, 1, "HIGH"));

                // When one report per region fires the rule four times, and every notification has failed twice
                for (final String region : REGIONS) {
                    pipeline.publish(Reports.incident(region, "ILLEGAL_CROSSING", Instant.now().minusSeconds(2),
                            "HIGH"));
                }
                final Set<String> alertIds = new HashSet<>();
                REGIONS.forEach(region -> alertIds.add("chaos-webhook|" + region + "|ILLEGAL_CROSSING"));
                await("every notification failed twice").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> alertIds.stream().allMatch(id -> attempts(receiver, id).size() >= 2));
                // And the alert service is killed with their retries pending
                final ServiceProcess first = pipeline.alerts().get(0);
                first.kill();
                final int failedAttempts = receiver.received(PATH).size();
                receiver.script(PATH);
                final long killedAt = System.nanoTime();
                context.say("alert service killed after %d failed attempts; starting another instance",
                        failedAttempts);
                pipeline.replaceAlertInstance(first);

                // Then each notification arrives again and is answered 200
                await("every notification delivered after the restart").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> alertIds.stream().allMatch(id -> receiver.received(PATH).stream()
                                .skip(failedAttempts).anyMatch(request -> id.equals(alertId(request)))));
                final double deliveredAfter = (System.nanoTime() - killedAt) / 1e9;
                // Anything still to come (a duplicate) comes within a few retry delays.
                await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
                final List<WebhookReceiver.Received> all = receiver.received(PATH);
                final List<WebhookReceiver.Received> delivered = all.subList(failedAttempts, all.size());
                final Map<String, Set<String>> idsByNotification = new HashMap<>();
                for (final WebhookReceiver.Received request : all) {
                    idsByNotification.computeIfAbsent(alertId(request) + " " + change(request),
                            key -> new HashSet<>()).add(request.id());
                }
                final Set<String> deliveredIds = new HashSet<>();
                final List<String> deliveredNotifications = new ArrayList<>();
                for (final WebhookReceiver.Received request : delivered) {
                    if (deliveredIds.add(request.id())) {
                        deliveredNotifications.add(alertId(request) + " " + change(request));
                    }
                }
                findings.figure("%d notifications, %d failed attempts before the SIGKILL", alertIds.size(),
                        failedAttempts);
                findings.figure("all delivered %.1f s after the kill (%d requests after it, %d distinct"
                        + " webhook-ids)", deliveredAfter, delivered.size(), deliveredIds.size());
                findings.check(deliveredNotifications.size() == alertIds.size()
                                && new HashSet<>(deliveredNotifications).size() == alertIds.size(),
                        "after dropping duplicates by webhook-id the receiver holds " + deliveredNotifications
                                + ", expected each of " + alertIds + " FIRED once");
                idsByNotification.forEach((notification, ids) -> findings.check(ids.size() == 1, notification
                        + " was sent under " + ids.size() + " webhook-ids " + ids + ": a receiver would count it "
                        + ids.size() + " times"));
                findings.check(delivered.stream().allMatch(request -> WebhookReceiver.verifies(request, secret)),
                        "a delivered notification does not verify with the subscription's secret");
            }
        }
    }

    private static List<WebhookReceiver.Received> attempts(final WebhookReceiver receiver, final String alertId) {
        return receiver.received(PATH).stream().filter(request -> alertId.equals(alertId(request))).toList();
    }

    @SuppressWarnings("unchecked")
    private static String alertId(final WebhookReceiver.Received request) {
        final Object data = Api.map(request.body()).get("data");
        return data instanceof Map<?, ?> map ? (String) ((Map<String, Object>) map).get("alertId") : null;
    }

    @SuppressWarnings("unchecked")
    private static String change(final WebhookReceiver.Received request) {
        final Object data = Api.map(request.body()).get("data");
        return data instanceof Map<?, ?> map ? (String) ((Map<String, Object>) map).get("change") : null;
    }
}
