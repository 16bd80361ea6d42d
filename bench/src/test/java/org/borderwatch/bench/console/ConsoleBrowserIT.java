package org.borderwatch.bench.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.testkit.WebhookReceiver;
import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operations console in real headless Chromium against the real stack: ingest, aggregator and alert service as
 * child processes from their packaged jars, on an embedded broker. Reports go in through the ingest API; what the
 * browser shows comes out of the alert service's SSE stream, alert API and aggregate proxy. Screenshots of each step
 * are kept in {@code target/console-screenshots/}. Each test has its own rule and regions.
 */
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OPS_TJ_KEY = ApiKeys.generate();
    private static final String OPS_UZ_KEY = ApiKeys.generate();
    private static final String REGIONAL_KEY = ApiKeys.generate();
    private static final Path SCREENSHOTS = Path.of(System.getProperty("borderwatch.bench.screenshot-dir",
            "target/console-screenshots"));

    private static EmbeddedKafkaCluster kafka;
    private static Pipeline pipeline;
    private static URI console;

    @BeforeAll
    static void start() throws IOException {
        kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty(
                "borderwatch.bench.pipeline-dir", "target/pipeline-it"))), "console-");
        // The alert service reads its own credentials file: an operations center of Tajikistan and one of
        // Uzbekistan, each limited to its country, and a regional coordination center that sees the whole area.
        final Path alertCredentials = CredentialsWriter.write(dir.resolve("alert-credentials.yml"), List.of(
                CredentialsWriter.Entry.opsCenter("ops-dushanbe", OPS_TJ_KEY, "TJ-*"),
                CredentialsWriter.Entry.opsCenter("ops-tashkent", OPS_UZ_KEY, "UZ-*"),
                CredentialsWriter.Entry.opsCenter("regional-centre", REGIONAL_KEY, "*")));
        pipeline = Pipeline.start(kafka.bootstrapServers(), dir, new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS,
                Map.of(), Map.of("BORDERWATCH_SECURITY_CREDENTIALS_FILE", alertCredentials.toString())), 1);
        console = pipeline.alerts().get(0).baseUri();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldShowACriticalAlertLiveThenAcknowledgeNoteAndResolveItWhenAnOpsCenterWorksFromTheBoard() {
        pipeline.createRule(Reports.eventCountRule("console-kt-incursions", "TJ-KT", "ARMED_INCURSION", "PT24H", 3,
                1, "CRITICAL"));
        final String alertId = "console-kt-incursions|TJ-KT|ARMED_INCURSION";
        try (ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            // Given an operations center signed in with its key
            browser.signIn(OPS_TJ_KEY);
            assertThat(browser.driver().findElement(By.id("who")).getText()).contains("ops-dushanbe");
            assertThat((Boolean) browser.script("return document.getElementById('signin-key').value === ''"))
                    .as("the key is gone from the page").isTrue();
            assertThat(browser.script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
                    + " + document.cookie + location.href")).asString().doesNotContain(OPS_TJ_KEY);
            browser.screenshot("01-signed-in");

            // When three armed incursions are reported in Khatlon
            for (int i = 0; i < 3; i++) {
                pipeline.publish(Reports.incident("TJ-KT", "ARMED_INCURSION", Instant.now(), "HIGH"));
            }

            // Then the alert arrives on the board without a reload, impossible to miss
            final WebElement item = browser.waitVisible(By.id(domId(alertId)));
            assertThat(item.getAttribute("class")).contains("sev-CRITICAL").contains("state-firing");
            assertThat(item.getText()).contains("CRITICAL").contains("Armed incursion").contains("Khatlon");
            browser.waitUntil(d -> d.getTitle().startsWith("(1) CRITICAL"));
            assertThat(browser.driver().findElement(By.id("critical-banner")).isDisplayed()).isTrue();
            assertThat(browser.driver().findElement(By.id("announce-assertive")).getAttribute("textContent"))
                    .contains("Critical alert");
            // And the map marks Khatlon with a pin
            browser.waitUntil(d -> String.valueOf(browser.script("return echarts.getInstanceByDom("
                    + "document.getElementById('map')).getOption().series[0].markPoint.data.map(p => p.name)"))
                    .contains("TJ-KT"));
            browser.screenshot("02-critical-alert-live");

            // When the operator acknowledges it with a comment, from the board
            item.findElement(By.cssSelector(".act-ack")).click();
            final WebElement comment = item.findElement(By.cssSelector(".ack-form input"));
            comment.sendKeys("Patrol dispatched to Panj");
            item.findElement(By.cssSelector(".ack-form button[type=submit]")).click();

            // Then the board shows who acknowledged it and why, and the title badge clears
            browser.waitUntil(d -> d.findElement(By.id(domId(alertId))).getAttribute("class")
                    .contains("state-acknowledged"));
            assertThat(browser.driver().findElement(By.id(domId(alertId))).getText())
                    .contains("Acknowledged by ops-dushanbe").contains("Patrol dispatched to Panj");
            browser.waitUntil(d -> !d.getTitle().contains("CRITICAL"));
            // And the audit trail has it under the ops center's own name, through the session
            final HttpResponse<String> history = get("/v1/alerts/" + encode(alertId),
                    browser.sessionCookie().getValue());
            assertThat(history.body()).contains("\"change\":\"ACKNOWLEDGED\"").contains("\"by\":\"ops-dushanbe\"");
            browser.screenshot("03-acknowledged");

            // When the operator adds a note, then resolves the alert by hand with a reason, from the board
            selectAll(browser);
            final WebElement acknowledged = browser.driver().findElement(By.id(domId(alertId)));
            acknowledged.findElement(By.cssSelector(".act-note")).click();
            acknowledged.findElement(By.cssSelector(".note-form input")).sendKeys("Second patrol on its way");
            acknowledged.findElement(By.cssSelector(".note-form button[type=submit]")).click();
            browser.waitUntil(d -> d.findElement(By.id(domId(alertId))).getText()
                    .contains("Second patrol on its way"));
            browser.driver().findElement(By.id(domId(alertId))).findElement(By.cssSelector(".act-resolve")).click();
            browser.driver().findElement(By.id(domId(alertId))).findElement(By.cssSelector(".resolve-form input"))
                    .sendKeys("Group withdrew across the river");
            browser.driver().findElement(By.id(domId(alertId)))
                    .findElement(By.cssSelector(".resolve-form button[type=submit]")).click();

            // Then it shows resolved by hand with the reason, and its history holds the note and the resolution
            browser.waitUntil(d -> d.findElement(By.id(domId(alertId))).getAttribute("class")
                    .contains("state-resolved"));
            assertThat(browser.driver().findElement(By.id(domId(alertId))).getText())
                    .contains("Resolved by hand").contains("Group withdrew across the river");
            browser.driver().findElement(By.id(domId(alertId))).findElement(By.cssSelector(".act-history")).click();
            browser.waitUntil(d -> d.findElement(By.id(domId(alertId))).findElement(By.cssSelector(
                    ".alert-history")).getText().contains("NOTE"));
            assertThat(browser.driver().findElement(By.id(domId(alertId))).findElement(By.cssSelector(
                    ".alert-history")).getText()).contains("Second patrol on its way")
                    .contains("Group withdrew across the river").contains("ACKNOWLEDGED");
            assertThat(get("/v1/alerts/" + encode(alertId), browser.sessionCookie().getValue()).body())
                    .contains("\"manualResolution\":{\"by\":\"ops-dushanbe\"");
            browser.screenshot("03b-noted-and-resolved");
            assertThat(browser.errors()).as("browser console").isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldColourARegionOnTheMapWhenEventsArePublishedThere() {
        try (ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            browser.signIn(OPS_TJ_KEY);
            browser.waitUntil(d -> (Boolean) browser.script("const chart = echarts.getInstanceByDom("
                    + "document.getElementById('map')); return !!chart && !!chart.getOption()"));
            // A point well inside Gorno-Badakhshan (Murghab plateau), away from any alert marker
            final List<?> before = pixel(browser, 73.6, 38.2);

            for (int i = 0; i < 4; i++) {
                pipeline.publish(Reports.incident("TJ-GB", "ILLEGAL_CROSSING", Instant.now(), "MEDIUM"));
            }

            browser.waitUntil(d -> !d.findElements(By.cssSelector("#ranking button[data-region='TJ-GB']")).isEmpty());
            assertThat(browser.driver().findElement(By.cssSelector("#ranking button[data-region='TJ-GB']"))
                    .getAttribute("data-value")).isEqualTo("4");
            await().atMost(WAIT).untilAsserted(() -> assertThat(pixel(browser, 73.6, 38.2)).isNotEqualTo(before));
            browser.screenshot("04-map-coloured");

            // And seizures there, for the region view's breakdown by drug type
            for (final Map<String, Object> seizure : List.of(seizure("TJ-GB", "HEROIN", 42.5),
                    seizure("TJ-GB", "HASHISH", 120.0), seizure("TJ-GB", "OPIUM", 18.0))) {
                final HttpResponse<String> accepted = pipeline.ingestApi().post("/v1/seizures",
                        pipeline.credentials().adminKey(), seizure);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(fetch(browser,
                    "/console/api/aggregates?region=TJ-GB&window=PT1H")).contains("HASHISH"));

            // Clicking the region opens its view: threat series and seizures from the aggregator (proxied), alerts
            browser.driver().findElement(By.cssSelector("#ranking button[data-region='TJ-GB']")).click();
            browser.waitVisible(By.id("region-view"));
            assertThat(browser.driver().findElement(By.id("region-title")).getText()).contains("TJ-GB");
            browser.waitUntil(d -> d.findElement(By.id("region-status")).getText().isEmpty());
            assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('region-drugs'))"
                    + ".getOption().yAxis[0].data")).asString().contains("Hashish").contains("Heroin");
            assertThat(browser.script("return echarts.getInstanceByDom(document.getElementById('region-series'))"
                    + ".getOption().series.map(s => s.name)")).asString().contains("Illegal crossing");
            browser.screenshot("05-region-view");
            assertThat(browser.errors()).as("browser console").isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldNeverShowAnotherCountrysAlertOrFiguresToAnOpsCenter() {
        pipeline.createRule(Reports.eventCountRule("console-weapons", "*", "WEAPONS_SMUGGLING", "PT24H", 1, 1,
                "HIGH"));
        final String tjAlert = "console-weapons|TJ-SU|WEAPONS_SMUGGLING";
        final String uzAlert = "console-weapons|UZ-SU|WEAPONS_SMUGGLING";
        try (ConsoleBrowser tashkent = new ConsoleBrowser(console, SCREENSHOTS);
             ConsoleBrowser dushanbe = new ConsoleBrowser(console, SCREENSHOTS)) {
            tashkent.signIn(OPS_UZ_KEY);
            dushanbe.signIn(OPS_TJ_KEY);

            pipeline.publish(Reports.incident("UZ-SU", "WEAPONS_SMUGGLING", Instant.now(), "HIGH"));
            pipeline.publish(Reports.incident("TJ-SU", "WEAPONS_SMUGGLING", Instant.now(), "HIGH"));

            // Each sees its own alert arrive live...
            tashkent.waitVisible(By.id(domId(uzAlert)));
            dushanbe.waitVisible(By.id(domId(tjAlert)));
            selectAll(tashkent);
            selectAll(dushanbe);
            // ...and never the other's: not on the board, not from the API, not in the map's figures
            assertThat(tashkent.driver().findElements(By.id(domId(tjAlert)))).isEmpty();
            assertThat(dushanbe.driver().findElements(By.id(domId(uzAlert)))).isEmpty();
            assertThat(tashkent.driver().findElement(By.id("alerts")).getText()).doesNotContain("TJ-");
            assertThat(dushanbe.driver().findElement(By.id("alerts")).getText()).doesNotContain("UZ-");
            assertThat(fetch(dushanbe, "/v1/alerts/" + encode(uzAlert))).startsWith("404");
            assertThat(fetch(dushanbe, "/console/api/aggregates?region=UZ-SU")).startsWith("403");
            await().atMost(WAIT).untilAsserted(() -> assertThat(fetch(tashkent,
                    "/console/api/aggregates/top?window=PT24H")).contains("\"UZ-SU\""));
            assertThat(fetch(dushanbe, "/console/api/aggregates/top?window=PT24H")).startsWith("200")
                    .contains("\"TJ-SU\"").doesNotContain("\"UZ-");
            tashkent.screenshot("06-ops-tashkent");
            dushanbe.screenshot("07-ops-dushanbe");
            assertThat(tashkent.errors()).as("browser console").isEmpty();
            // The refused requests this test made on purpose are the only lines the browser logged
            assertThat(dushanbe.errors()).as("browser console").allMatch(line -> line.contains("status of 40"))
                    .hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldEndTheSessionOnTheServerWhenSigningOut() {
        try (ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            browser.signIn(OPS_TJ_KEY);
            final String cookie = browser.sessionCookie().getValue();
            assertThat(browser.sessionCookie().isHttpOnly()).isTrue();
            assertThat(get("/v1/alerts", cookie).statusCode()).isEqualTo(200);

            browser.driver().findElement(By.id("signout")).click();

            browser.waitVisible(By.id("signin"));
            assertThat(browser.driver().findElement(By.id("signin-error")).getText()).contains("signed out");
            assertThat(get("/v1/alerts", cookie).statusCode()).isEqualTo(401);
            assertThat(get("/console/session", cookie).body()).contains("\"signedIn\":false");
            assertThat(browser.sessionCookie()).isNull();
            browser.screenshot("08-signed-out");
            assertThat(browser.errors()).as("browser console").isEmpty();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldSendTheContentSecurityPolicyAndServeNoInlineScript() {
        final HttpResponse<String> shell = get("/", null);
        assertThat(shell.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").contains("style-src 'self'")
                        .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
        try (ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            browser.open();
            browser.waitVisible(By.id("signin-key"));
            assertThat((Long) browser.script("return document.querySelectorAll('script:not([src])').length"))
                    .isZero();
            assertThat((Boolean) browser.script("return [...document.querySelectorAll('*')].some(e =>"
                    + " [...e.attributes].some(a => a.name.startsWith('on')))")).isFalse();
            assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("signin-key");
            browser.screenshot("00-sign-in");
            assertThat(browser.errors()).as("browser console").isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldShowTheWholeAreaOnOneScreenWhenARegionalCentreWatchesInTheDark() {
        final Map<String, Object> seizures = new LinkedHashMap<>(Reports.eventCountRule("uz-su-drug-seizures",
                "UZ-SU", "DRUG_TRAFFICKING", "PT24H", 100, 50, "HIGH"));
        seizures.put("metric", "SEIZURE_KG");
        pipeline.createRule(seizures);
        pipeline.createRule(Reports.eventCountRule("tm-l-crossings", "TM-L", "ILLEGAL_CROSSING", "PT24H", 3, 1,
                "MEDIUM"));
        try (ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            browser.signIn(REGIONAL_KEY);
            if ("light".equals(browser.script("return document.documentElement.dataset.theme"))) {
                browser.driver().findElement(By.id("theme-toggle")).click();
            }
            assertThat(browser.script("return document.documentElement.dataset.theme")).isEqualTo("dark");

            // A day along the border: crossings, smuggling and seizures in three countries
            final List<List<Object>> incidents = List.of(List.of("TM-L", "ILLEGAL_CROSSING", 4),
                    List.of("TM-M", "GOODS_SMUGGLING", 2), List.of("UZ-QA", "ILLEGAL_CROSSING", 2),
                    List.of("UZ-SU", "GOODS_SMUGGLING", 3), List.of("TJ-SU", "ILLEGAL_CROSSING", 1),
                    List.of("TJ-RA", "HUMAN_TRAFFICKING", 2), List.of("UZ-XO", "ILLEGAL_CROSSING", 1));
            for (final List<Object> incident : incidents) {
                for (int i = 0; i < (Integer) incident.get(2); i++) {
                    pipeline.publish(Reports.incident((String) incident.get(0), (String) incident.get(1),
                            Instant.now(), "MEDIUM"));
                }
            }
            for (final Map<String, Object> seizure : List.of(seizure("UZ-SU", "HEROIN", 85.0),
                    seizure("UZ-SU", "HASHISH", 60.5))) {
                assertThat(pipeline.ingestApi().post("/v1/seizures", pipeline.credentials().adminKey(), seizure)
                        .statusCode()).isEqualTo(202);
            }
            final String crossings = "tm-l-crossings|TM-L|ILLEGAL_CROSSING";
            final WebElement item = browser.waitVisible(By.id(domId(crossings)));
            browser.waitVisible(By.id(domId("uz-su-drug-seizures|UZ-SU|DRUG_TRAFFICKING")));
            item.findElement(By.cssSelector(".act-ack")).click();
            item.findElement(By.cssSelector(".ack-form input")).sendKeys("Mobile patrol sent from Türkmenabat");
            item.findElement(By.cssSelector(".ack-form button[type=submit]")).click();
            browser.waitUntil(d -> d.findElement(By.id(domId(crossings))).getText().contains("Acknowledged"));

            // The map ranks every region with events in the last 24 hours, of all three countries
            new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("map-window")))
                    .selectByValue("PT24H");
            browser.waitUntil(d -> d.findElements(By.cssSelector("#ranking button")).size() >= 7);
            final String ranking = browser.driver().findElement(By.id("ranking")).getText();
            assertThat(ranking).contains("Lebap").contains("Surxondaryo").contains("Sughd");
            if (browser.driver().findElement(By.id("critical-banner")).isDisplayed()) {
                browser.driver().findElement(By.id("critical-dismiss")).click();
            }
            browser.script("document.activeElement.blur()");
            browser.screenshot("09-overview-dark");
            assertThat(browser.errors()).as("browser console").isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldListTestAndEditASubscriptionWhenAnOpsCenterOpensTheSubscriptionsPanel() {
        try (WebhookReceiver receiver = new WebhookReceiver();
             ConsoleBrowser browser = new ConsoleBrowser(console, SCREENSHOTS)) {
            // Given a webhook subscription the ops center made through the API
            final HttpResponse<String> created = postJson("/v1/subscriptions", OPS_TJ_KEY, "{\"channel\": \"webhook\","
                    + " \"url\": \"" + receiver.url("/console-hook") + "\", \"format\": \"json\","
                    + " \"regions\": [\"TJ-*\"], \"minSeverity\": \"HIGH\", \"repeatInterval\": \"PT30M\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            final String id = created.body().replaceAll("(?s).*\"subscriptionId\":\"([^\"]+)\".*", "$1");
            browser.signIn(OPS_TJ_KEY);

            // When the operator opens the panel from the top bar
            browser.driver().findElement(By.id("subs-open")).click();
            final WebElement item = browser.waitVisible(By.id("sub-" + id));
            assertThat(item.getText()).contains("Webhook").contains("json").contains("TJ-*")
                    .contains("min severity HIGH").contains("repeat PT30M").containsIgnoringCase("enabled")
                    .doesNotContain("null");

            // And sends a test delivery: the receiver gets it and the panel says so
            item.findElement(By.cssSelector(".sub-test")).click();
            browser.waitUntil(d -> d.findElement(By.id("sub-" + id)).findElement(By.cssSelector(".sub-test-result"))
                    .getText().startsWith("Delivered"));
            assertThat(browser.driver().findElement(By.id("sub-" + id)).findElement(By.cssSelector(
                    ".sub-test-result")).getText()).contains("status 200"); // the test kit's receiver answers 200
            assertThat(receiver.received("/console-hook")).anyMatch(request -> request.id().startsWith("test_"));
            // The delivery log is read back from its topic: reopening the panel shows the attempt once it is there
            await().atMost(WAIT).untilAsserted(() -> {
                browser.driver().findElement(By.id("subs-close")).click();
                browser.driver().findElement(By.id("subs-open")).click();
                browser.waitUntil(d -> d.findElement(By.id("sub-" + id)).findElement(By.cssSelector(
                        ".sub-deliveries")).getText().contains("attempts"));
                assertThat(browser.driver().findElement(By.id("sub-" + id)).findElement(By.cssSelector(
                        ".sub-deliveries")).getText()).contains("test · delivered · status 200");
            });

            // And a refused edit shows the rule's message; a valid one is stored
            final WebElement repeat = browser.driver().findElement(By.id("sub-" + id))
                    .findElement(By.cssSelector(".sub-repeat"));
            repeat.clear();
            repeat.sendKeys("soon");
            browser.driver().findElement(By.id("sub-" + id)).findElement(By.cssSelector(".sub-edit button")).click();
            browser.waitUntil(d -> !d.findElement(By.id("sub-" + id)).findElement(By.cssSelector(
                    ".sub-edit .form-error")).getText().isEmpty());
            final WebElement again = browser.driver().findElement(By.id("sub-" + id))
                    .findElement(By.cssSelector(".sub-repeat"));
            again.clear();
            again.sendKeys("PT45M");
            browser.driver().findElement(By.id("sub-" + id)).findElement(By.cssSelector(".sub-edit button")).click();
            browser.waitUntil(d -> d.findElement(By.id("sub-" + id)).getText().contains("repeat PT45M"));
            assertThat(get("/v1/subscriptions/" + id, browser.sessionCookie().getValue()).body())
                    .contains("\"repeatInterval\":\"PT45M\"");
            browser.screenshot("10-subscriptions");
            // The refused edit is the only line the browser logged
            assertThat(browser.errors()).as("browser console").allMatch(line -> line.contains("status of 422"))
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** The colour of the map's canvas at a longitude/latitude, as [r, g, b]. */
    private static List<?> pixel(final ConsoleBrowser browser, final double lon, final double lat) {
        return (List<?>) browser.script("""
                const chart = echarts.getInstanceByDom(document.getElementById('map'));
                const point = chart.convertToPixel({seriesIndex: 0}, [arguments[0], arguments[1]]);
                const canvas = document.querySelector('#map canvas');
                const ratio = canvas.width / canvas.clientWidth;
                // Copied to a canvas of the test's own, so reading it back does not touch the map's canvas.
                const probe = document.createElement('canvas');
                probe.width = 1;
                probe.height = 1;
                const context = probe.getContext('2d', {willReadFrequently: true});
                context.drawImage(canvas, Math.round(point[0] * ratio), Math.round(point[1] * ratio), 1, 1, 0, 0, 1, 1);
                const d = context.getImageData(0, 0, 1, 1).data;
                return [d[0], d[1], d[2]];""", lon, lat);
    }

    /** The status and body of a same-origin request made by the page (with its cookie), "404 {...}". */
    private static String fetch(final ConsoleBrowser browser, final String path) {
        return (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'})
                  .then(r => r.text().then(t => done(r.status + ' ' + t)))
                  .catch(e => done('error ' + e));""", path);
    }

    private static void selectAll(final ConsoleBrowser browser) {
        browser.driver().findElement(By.cssSelector(".tabs [data-filter='all']")).click();
    }

    private static String domId(final String alertId) {
        return "alert-" + alertId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String encode(final String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpResponse<String> get(final String path, final String sessionCookie) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(console.resolve(path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (sessionCookie != null) {
            request.header("Cookie", "bw_session=" + sessionCookie);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> postJson(final String path, final String apiKey, final String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(console.resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("X-API-Key", apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> seizure(final String region, final String drug, final double kg) {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("eventId", UUID.randomUUID().toString());
        report.put("agencyId", Reports.AGENCY);
        report.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        report.put("region", region);
        report.put("severity", "HIGH");
        report.put("confidence", "CONFIRMED");
        report.put("drugType", drug);
        report.put("quantityKg", kg);
        report.put("departureCountry", "AF");
        report.put("destinationCountry", "RU");
        return report;
    }
}
