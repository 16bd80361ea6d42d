package org.borderwatch.bench.scaleout;

import static org.awaitility.Awaitility.await;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.testkit.SseClient;
import org.borderwatch.testkit.WebhookReceiver;

/**
 * The scale-out scenarios on one running deployment of two aggregator and two alert instances (a {@link Pipeline}),
 * in the order they must run: queries to either aggregator, webhook delivery by two alert instances, SSE on both
 * and resumed across them, then SIGKILL of one aggregator and of one alert instance with the time until the
 * survivor has taken over. Each scenario has its own rule (so its own alert ids) and threat type, prints one line
 * of figures and returns them; {@link Figures#problems()} says what did not hold.
 *
 * <p>One webhook subscription and one SSE stream per alert instance live for the whole run: every notification of
 * the run is counted by webhook-id at the end.
 */
public final class ScaleOutRun implements AutoCloseable {

    /** Every fourth region of the bench's list: 13 regions of five countries over the six input partitions. */
    public static final List<String> REGIONS = IntStream.range(0, Region.CENTRAL_ASIA.size()).filter(i -> i % 4 == 0)
            .mapToObj(i -> Region.CENTRAL_ASIA.get(i).code()).toList();

    private static final String WEBHOOK_PATH = "/scaleout";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);

    /** What one scenario saw; {@link #problems()} is empty when everything the scenario proves held. */
    public interface Figures {
        String line();

        List<String> problems();
    }

    private final Pipeline pipeline;
    private final Duration failoverBound;
    private final PrintStream out;
    private final WebhookReceiver receiver = new WebhookReceiver();
    private final List<SseClient> streams = new ArrayList<>();
    private String secret;

    /**
     * @param failoverBound how long a takeover may take: the session timeout, a rebalance and a restore
     */
    public ScaleOutRun(final Pipeline pipeline, final Duration failoverBound, final PrintStream out) {
        this.pipeline = pipeline;
        this.failoverBound = failoverBound;
        this.out = out;
    }

    /**
     * The deployment's settings: the aggregator's default windows, {@code standbyReplicas} standby copies of each
     * aggregator task on the other instance ({@code num.standby.replicas}), and the group session timeout of the
     * aggregator's and the alert service's consumers, which bounds how soon a SIGKILLed member's work moves.
     */
    public static Pipeline.Settings deployment(final int standbyReplicas, final Duration sessionTimeout) {
        final String timeout = Long.toString(sessionTimeout.toMillis());
        return new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS,
                Map.of("KAFKA_STREAMS_NUM_STANDBY_REPLICAS", Integer.toString(standbyReplicas),
                        "KAFKA_STREAMS_SESSION_TIMEOUT_MS", timeout),
                Map.of("KAFKA_STREAMS_SESSION_TIMEOUT_MS", timeout, "KAFKA_CONSUMER_SESSION_TIMEOUT_MS", timeout));
    }

    /** The webhook subscription for every region and one live SSE stream on each alert instance. */
    public void subscribe() {
        final HttpResponse<String> created = pipeline.alertApi(0).post("/v1/subscriptions",
                pipeline.credentials().opsKey(), Map.of("channel", "webhook", "url", receiver.url(WEBHOOK_PATH),
                        "format", "json", "regions", List.of("*")));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /v1/subscriptions answered " + created.statusCode() + ": "
                    + created.body());
        }
        final Map<String, Object> subscription = Api.map(created.body());
        secret = (String) subscription.get("secret");
        // Each instance dispatches its own partitions of the alert log: each must know the subscription first.
        for (int i = 0; i < pipeline.alerts().size(); i++) {
            final Api api = pipeline.alertApi(i);
            await("subscription on alert #" + (i + 1)).atMost(WAIT).pollInterval(POLL).until(() -> api.get(
                    "/v1/subscriptions/" + subscription.get("subscriptionId"), pipeline.credentials().opsKey())
                    .statusCode() == 200);
            streams.add(openStream(i, null));
        }
    }

    // ---- 1. interactive queries ----------------------------------------------------------------------------

    /** Per aggregator: regions answered with the right count, of them served by the other instance; top lists. */
    public record QueryFigures(int regions, List<Integer> answered, List<Integer> forwarded, List<Integer> topListed,
                               Map<String, String> owners) implements Figures {
        @Override
        public String line() {
            final StringBuilder line = new StringBuilder("queries: " + regions + " regions over "
                    + new HashSet<>(owners.values()).size() + " owners;");
            for (int i = 0; i < answered.size(); i++) {
                line.append(" aggregator #").append(i + 1).append(" answered ").append(answered.get(i)).append('/')
                        .append(regions).append(" (").append(forwarded.get(i)).append(" forwarded), top listed ")
                        .append(topListed.get(i)).append(';');
            }
            return line.substring(0, line.length() - 1);
        }

        @Override
        public List<String> problems() {
            final List<String> problems = new ArrayList<>();
            for (int i = 0; i < answered.size(); i++) {
                if (answered.get(i) != regions || topListed.get(i) != regions) {
                    problems.add("aggregator #" + (i + 1) + " answered " + answered.get(i) + " and listed "
                            + topListed.get(i) + " of " + regions + " regions");
                }
                if (forwarded.get(i) == 0 || forwarded.get(i) == regions) {
                    problems.add("aggregator #" + (i + 1) + " forwarded " + forwarded.get(i) + " of " + regions
                            + ": the keys are not split between the instances");
                }
            }
            return problems;
        }
    }

    /** One crossing per region, then every region asked of every aggregator, and the top list of each. */
    public QueryFigures queries() {
        final Instant occurredAt = Instant.now();
        REGIONS.forEach(region -> pipeline.publish(Reports.incident(region, "ILLEGAL_CROSSING", occurredAt, "LOW")));
        final Map<String, String> owners = new TreeMap<>();
        final List<Integer> answered = new ArrayList<>();
        final List<Integer> forwarded = new ArrayList<>();
        final List<Integer> topListed = new ArrayList<>();
        for (int i = 0; i < pipeline.aggregators().size(); i++) {
            final Api api = pipeline.aggregatorApi(i);
            final String self = self(pipeline.aggregators().get(i));
            final Map<String, Answer> answers = new HashMap<>();
            try {
                await("aggregator #" + (i + 1) + " answers every region").atMost(WAIT).pollInterval(POLL)
                        .until(() -> {
                            for (final String region : REGIONS) {
                                answers.computeIfAbsent(region, r -> count(api, r, "ILLEGAL_CROSSING")
                                        .filter(answer -> answer.count() == 1).orElse(null));
                            }
                            return answers.size() == REGIONS.size();
                        });
            } catch (final org.awaitility.core.ConditionTimeoutException e) {
                // reported as a figure: answered < regions
            }
            answers.forEach((region, answer) -> owners.put(region, answer.servedBy()));
            answered.add(answers.size());
            forwarded.add((int) answers.values().stream().filter(answer -> !answer.servedBy().equals(self)).count());
            final HttpResponse<String> top = api.get("/v1/aggregates/top?threatType=ILLEGAL_CROSSING&limit=100",
                    pipeline.credentials().adminKey());
            topListed.add(top.statusCode() != 200 ? 0 : (int) Api.list(top.body(), "entries").stream()
                    .map(entry -> (String) entry.get("region")).filter(REGIONS::contains).count());
        }
        return print(new QueryFigures(REGIONS.size(), answered, forwarded, topListed, owners));
    }

    // ---- 2. webhooks, once each ----------------------------------------------------------------------------

    /** Notifications of one rule: expected, received, distinct webhook-ids, and what each instance sent. */
    public record WebhookFigures(int expected, int received, int distinctIds, int distinctChanges, int unsigned,
                                 List<Double> sentByInstance) implements Figures {
        @Override
        public String line() {
            return "webhooks: " + expected + " notifications (fired and resolved), " + received + " received, "
                    + distinctIds + " distinct webhook-ids, " + (received - distinctIds) + " duplicates, "
                    + unsigned + " badly signed; sent per alert instance " + sentByInstance;
        }

        @Override
        public List<String> problems() {
            final List<String> problems = new ArrayList<>();
            if (received != expected || distinctIds != expected || distinctChanges != expected) {
                problems.add("expected each of " + expected + " notifications once, received " + received + " ("
                        + distinctIds + " distinct ids, " + distinctChanges + " distinct changes)");
            }
            if (unsigned > 0) {
                problems.add(unsigned + " webhooks not signed with the subscription's secret");
            }
            if (sentByInstance.stream().anyMatch(sent -> sent == 0)) {
                problems.add("an alert instance sent no webhook: " + sentByInstance);
            }
            return problems;
        }
    }

    /** A rule fires in every region, then is disabled (every alert resolves): two notifications per region. */
    public WebhookFigures webhooksOnce() {
        final String rule = "scaleout-weapons";
        final List<Double> before = delivered();
        pipeline.createRule(Reports.eventCountRule(rule, "*", "WEAPONS_SMUGGLING", "PT1H", 1, 1, "HIGH"));
        final Instant occurredAt = Instant.now();
        REGIONS.forEach(region -> pipeline.publish(Reports.incident(region, "WEAPONS_SMUGGLING", occurredAt, "HIGH")));
        awaitWebhooks(rule, REGIONS.size());
        final HttpResponse<String> disabled = pipeline.aggregatorApi().post("/v1/rules/" + rule + "/disable",
                pipeline.credentials().adminKey(), "");
        if (disabled.statusCode() != 200) {
            throw new IllegalStateException("disabling " + rule + " answered " + disabled.statusCode());
        }
        final int expected = 2 * REGIONS.size();
        awaitWebhooks(rule, expected);
        // Nothing more may come: a duplicate would arrive late, from the instance that did not own the change.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> webhooks(rule).size() == expected);
        final List<WebhookReceiver.Received> webhooks = webhooks(rule);
        final List<Double> after = delivered();
        final List<Double> sent = IntStream.range(0, after.size()).mapToObj(i -> after.get(i) - before.get(i))
                .toList();
        return print(new WebhookFigures(expected, webhooks.size(),
                (int) webhooks.stream().map(WebhookReceiver.Received::id).distinct().count(),
                (int) webhooks.stream().map(ScaleOutRun::change).distinct().count(),
                (int) webhooks.stream().filter(webhook -> !WebhookReceiver.verifies(webhook, secret)).count(),
                sent));
    }

    // ---- 3. SSE on both instances, resumed across them ------------------------------------------------------

    /**
     * @param live     events of this scenario's rule each instance's live stream carried
     * @param resumed  events the stream resumed on instance #2 delivered after instance #1's last id
     * @param missing  changes after that id (on #1's live stream) the resumed stream did not deliver
     * @param repeated events the resumed stream delivered that #1's stream had before the id, or twice
     */
    public record SseFigures(int expected, List<Integer> live, int beforeClose, int resumed, int missing,
                             int repeated) implements Figures {
        @Override
        public String line() {
            return "sse: " + expected + " alerts; live streams carried " + live + "; a stream on alert #1 closed after "
                    + beforeClose + ", resumed on alert #2 with its Last-Event-ID: " + resumed + " events, "
                    + missing + " missing, " + repeated + " repeated";
        }

        @Override
        public List<String> problems() {
            final List<String> problems = new ArrayList<>();
            if (live.stream().anyMatch(count -> count != expected)) {
                problems.add("live streams carried " + live + " of " + expected);
            }
            if (resumed != expected - beforeClose || missing > 0 || repeated > 0) {
                problems.add("resume: " + resumed + " events after " + beforeClose + " of " + expected + ", "
                        + missing + " missing, " + repeated + " repeated");
            }
            return problems;
        }
    }

    /**
     * A first batch of alerts on a stream of instance #1, which then closes; a second batch while no client
     * listens; the stream resumed on instance #2 with #1's last event id must deliver exactly what #1's live
     * stream has after that id (no gap, no duplicate).
     */
    public SseFigures sseResume() {
        final String rule = "scaleout-trafficking";
        pipeline.createRule(Reports.eventCountRule(rule, "*", "HUMAN_TRAFFICKING", "PT1H", 1, 1, "HIGH"));
        final List<String> first = REGIONS.subList(0, REGIONS.size() / 2);
        final List<String> second = REGIONS.subList(REGIONS.size() / 2, REGIONS.size());
        final Instant occurredAt = Instant.now();
        final SseClient onFirst = openStream(0, null);
        first.forEach(region -> pipeline.publish(Reports.incident(region, "HUMAN_TRAFFICKING", occurredAt, "HIGH")));
        await("the first batch on alert #1").atMost(WAIT).pollInterval(POLL)
                .until(() -> ofRule(onFirst.events(), rule).size() == first.size());
        final String lastId = onFirst.lastEventId();
        final List<String> beforeClose = data(onFirst.events());
        final int ofRuleBeforeClose = ofRule(onFirst.events(), rule).size();
        onFirst.close();

        second.forEach(region -> pipeline.publish(Reports.incident(region, "HUMAN_TRAFFICKING", occurredAt, "HIGH")));
        for (final SseClient live : streams) {
            await("every alert on each live stream").atMost(WAIT).pollInterval(POLL)
                    .until(() -> ofRule(live.events(), rule).size() == REGIONS.size());
        }
        final SseClient resumed = openStream(1, lastId);
        await("the second batch on alert #2, resumed").atMost(WAIT).pollInterval(POLL)
                .until(() -> ofRule(resumed.events(), rule).size() >= second.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> ofRule(resumed.events(), rule).size() == second.size());
        final List<String> got = data(resumed.events());
        final int resumedOfRule = ofRule(resumed.events(), rule).size();
        resumed.close();
        // Instance #1's live stream reads the same copy of the log in the same order as the closed stream: what it
        // carried after the closed stream's last event is exactly what a resume must deliver.
        final List<String> live = data(streams.get(0).events());
        final List<String> after = live.subList(live.indexOf(beforeClose.get(beforeClose.size() - 1)) + 1,
                live.size());
        final int missing = (int) after.stream().filter(change -> !got.contains(change)).count();
        final int repeated = (int) got.stream().filter(beforeClose::contains).count()
                + got.size() - (int) got.stream().distinct().count();
        return print(new SseFigures(REGIONS.size(), streams.stream().map(s -> ofRule(s.events(), rule).size())
                .toList(), ofRuleBeforeClose, resumedOfRule, missing, repeated));
    }

    // ---- 4. aggregator failover ----------------------------------------------------------------------------

    /**
     * @param moved          regions the killed instance's active tasks held
     * @param firstMoved     kill → the survivor's first complete answer for a moved region
     * @param allCounted     kill → the survivor answers every region with the report published after the kill
     * @param unavailable    503 answers the survivor gave meanwhile (expected: it never answers partially)
     * @param wrong          200 answers with a count that is neither the old nor the new one (lost state)
     */
    public record AggregatorFailover(int regions, int moved, Duration firstMoved, Duration allCounted,
                                     int unavailable, int wrong, boolean completed) implements Figures {
        @Override
        public String line() {
            return "aggregator failover: SIGKILL of the instance holding " + moved + " of " + regions + " regions; "
                    + "survivor answered a moved region after " + seconds(firstMoved) + ", every region with the "
                    + "report published after the kill after " + seconds(allCounted) + " (" + unavailable
                    + " answers 503 meanwhile, " + wrong + " wrong)";
        }

        @Override
        public List<String> problems() {
            final List<String> problems = new ArrayList<>();
            if (!completed) {
                problems.add("the surviving aggregator did not answer every region with the new report in time");
            }
            if (moved == 0) {
                problems.add("the killed aggregator held no region: nothing moved");
            }
            if (wrong > 0) {
                problems.add(wrong + " wrong answers from the surviving aggregator");
            }
            return problems;
        }
    }

    /**
     * SIGKILL of aggregator #2, then at once one more crossing per region through ingest: until the survivor
     * answers every region (moved or not) with both crossings counted.
     */
    public AggregatorFailover aggregatorFailover() {
        final ServiceProcess victim = pipeline.aggregators().get(1);
        final Api survivor = pipeline.aggregatorApi(0);
        final Instant occurredAt = Instant.now();
        // Before: every region counted once by both instances (the queries scenario), so state exists to move.
        final Set<String> moved = new HashSet<>();
        for (final String region : REGIONS) {
            count(survivor, region, "ILLEGAL_CROSSING").filter(answer -> answer.servedBy().equals(self(victim)))
                    .ifPresent(answer -> moved.add(region));
        }
        final long killed = System.nanoTime();
        victim.kill();
        REGIONS.forEach(region -> pipeline.publish(Reports.incident(region, "ILLEGAL_CROSSING", occurredAt, "LOW")));
        final Map<String, Long> countedAt = new HashMap<>();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger wrong = new AtomicInteger();
        long firstMoved = -1;
        boolean completed = true;
        try {
            final long[] first = {-1};
            await("the surviving aggregator answers every region").atMost(failoverBound).pollInterval(POLL)
                    .until(() -> {
                        for (final String region : REGIONS) {
                            if (countedAt.containsKey(region)) {
                                continue;
                            }
                            final HttpResponse<String> response = survivor.get(query(region, "ILLEGAL_CROSSING"),
                                    pipeline.credentials().adminKey());
                            if (response.statusCode() == 503) {
                                unavailable.incrementAndGet();
                                continue;
                            }
                            final long count = count(response.body());
                            if (response.statusCode() != 200 || count < 1 || count > 2) {
                                wrong.incrementAndGet();
                            } else if (moved.contains(region) && first[0] < 0) {
                                first[0] = System.nanoTime();
                            }
                            if (count == 2) {
                                countedAt.put(region, System.nanoTime());
                            }
                        }
                        return countedAt.size() == REGIONS.size();
                    });
            firstMoved = first[0];
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            completed = false;
        }
        final long all = countedAt.values().stream().mapToLong(Long::longValue).max().orElse(killed);
        return print(new AggregatorFailover(REGIONS.size(), moved.size(),
                Duration.ofNanos(Math.max(0, firstMoved - killed)), Duration.ofNanos(all - killed),
                unavailable.get(), wrong.get(), completed));
    }

    // ---- 5. alert failover ---------------------------------------------------------------------------------

    /**
     * @param first       kill → the first webhook of an alert fired after the kill
     * @param all         kill → every one of them delivered (the killed instance's partitions taken over)
     * @param survivorSse alerts the survivor's live SSE stream carried
     */
    public record AlertFailover(int expected, Duration first, Duration all, int received, int distinctIds,
                                int survivorSse, boolean completed) implements Figures {
        @Override
        public String line() {
            return "alert failover: SIGKILL of alert #2, then " + expected + " alerts fired; first webhook after "
                    + seconds(first) + ", all after " + seconds(all) + "; " + received + " received, " + distinctIds
                    + " distinct webhook-ids, " + (received - distinctIds) + " duplicates; the survivor's SSE "
                    + "stream carried " + survivorSse;
        }

        @Override
        public List<String> problems() {
            final List<String> problems = new ArrayList<>();
            if (!completed || distinctIds != expected) {
                problems.add("the surviving alert instance delivered " + distinctIds + " of " + expected
                        + " notifications");
            }
            if (received != distinctIds) {
                problems.add((received - distinctIds) + " notifications delivered twice");
            }
            if (survivorSse != expected) {
                problems.add("the survivor's SSE stream carried " + survivorSse + " of " + expected);
            }
            return problems;
        }
    }

    /** SIGKILL of alert #2, then a rule fires in every region: until the survivor has sent every webhook. */
    public AlertFailover alertFailover() {
        final String rule = "scaleout-goods";
        pipeline.createRule(Reports.eventCountRule(rule, "*", "GOODS_SMUGGLING", "PT1H", 1, 1, "MEDIUM"));
        final ServiceProcess victim = pipeline.alerts().get(1);
        final long killed = System.nanoTime();
        victim.kill();
        final Instant occurredAt = Instant.now();
        REGIONS.forEach(region -> pipeline.publish(Reports.incident(region, "GOODS_SMUGGLING", occurredAt, "MEDIUM")));
        final Map<String, Long> arrivedAt = new LinkedHashMap<>();
        boolean completed = true;
        try {
            await("the surviving alert instance sends every webhook").atMost(failoverBound).pollInterval(
                    Duration.ofMillis(50)).until(() -> {
                        for (final WebhookReceiver.Received webhook : webhooks(rule)) {
                            arrivedAt.putIfAbsent(webhook.id(), System.nanoTime());
                        }
                        return arrivedAt.size() >= REGIONS.size();
                    });
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                    .until(() -> webhooks(rule).size() == REGIONS.size());
        } catch (final org.awaitility.core.ConditionTimeoutException e) {
            completed = false;
        }
        final List<WebhookReceiver.Received> webhooks = webhooks(rule);
        final SseClient survivorStream = streams.get(0);
        await().atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> ofRule(survivorStream.events(), rule).size() >= REGIONS.size());
        return print(new AlertFailover(REGIONS.size(),
                Duration.ofNanos(arrivedAt.values().stream().mapToLong(Long::longValue).min().orElse(killed) - killed),
                Duration.ofNanos(arrivedAt.values().stream().mapToLong(Long::longValue).max().orElse(killed) - killed),
                webhooks.size(), (int) webhooks.stream().map(WebhookReceiver.Received::id).distinct().count(),
                ofRule(survivorStream.events(), rule).size(), completed));
    }

    /** Every webhook of the run (all scenarios): received, distinct ids. */
    public int[] webhookTotals() {
        final List<WebhookReceiver.Received> all = receiver.received(WEBHOOK_PATH);
        return new int[] {all.size(), (int) all.stream().map(WebhookReceiver.Received::id).distinct().count()};
    }

    @Override
    public void close() {
        streams.forEach(SseClient::close);
        receiver.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private <F extends Figures> F print(final F figures) {
        out.println(figures.line());
        figures.problems().forEach(problem -> out.println("  FAILED: " + problem));
        return figures;
    }

    private SseClient openStream(final int instance, final String lastEventId) {
        final SseClient stream = SseClient.open(pipeline.alertApi(instance).uri("/v1/alerts/stream"),
                pipeline.credentials().opsKey(), lastEventId);
        await("SSE stream on alert #" + (instance + 1)).atMost(WAIT).pollInterval(POLL).until(stream::isOpen);
        return stream;
    }

    private void awaitWebhooks(final String rule, final int count) {
        await(count + " webhooks of " + rule).atMost(WAIT).pollInterval(POLL)
                .until(() -> webhooks(rule).size() >= count);
    }

    private List<WebhookReceiver.Received> webhooks(final String rule) {
        return receiver.received(WEBHOOK_PATH).stream().filter(webhook -> rule.equals(alert(webhook.body())
                .get("ruleId"))).toList();
    }

    /** {@code borderwatch_alert_webhook_delivered_total} of each alert instance (0 for a stopped one). */
    private List<Double> delivered() {
        return pipeline.alerts().stream().map(alert -> alert.get("prometheus").orElse("").lines()
                .filter(line -> line.startsWith("borderwatch_alert_webhook_delivered_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum()).toList();
    }

    private record Answer(long count, String servedBy) {
    }

    private Optional<Answer> count(final Api api, final String region, final String threatType) {
        final HttpResponse<String> response = api.get(query(region, threatType), pipeline.credentials().adminKey());
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        return Optional.of(new Answer(count(response.body()), (String) Api.map(response.body()).get("servedBy")));
    }

    private static String query(final String region, final String threatType) {
        return "/v1/aggregates?region=" + region + "&threatType=" + threatType + "&window=PT1H";
    }

    /** The events of all PT1H windows in the answer (a report's hour may straddle two). */
    private static long count(final String body) {
        return Api.list(body, "aggregates").stream().mapToLong(aggregate -> ((Number) aggregate.get("eventCount"))
                .longValue()).sum();
    }

    private static String self(final ServiceProcess aggregator) {
        return "127.0.0.1:" + aggregator.port();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> alert(final String json) {
        return (Map<String, Object>) Api.map(json).get("data");
    }

    private static String change(final WebhookReceiver.Received webhook) {
        final Map<String, Object> alert = alert(webhook.body());
        return alert.get("alertId") + " v" + alert.get("version") + " " + alert.get("change");
    }

    private static List<String> data(final List<SseClient.SseEvent> events) {
        return events.stream().map(SseClient.SseEvent::data).toList();
    }

    private static List<SseClient.SseEvent> ofRule(final List<SseClient.SseEvent> events, final String rule) {
        return events.stream().filter(event -> rule.equals(alert(event.data()).get("ruleId"))).toList();
    }

    private static String seconds(final Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
