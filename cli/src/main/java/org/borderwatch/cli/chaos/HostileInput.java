package org.borderwatch.cli.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.common.TopicPartition;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.pipeline.Pipeline;
import org.borderwatch.bench.pipeline.Reports;
import org.borderwatch.bench.process.ProcessMemory;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.launcher.ServiceProcess;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

/**
 * Scenario 7: at least 10,000 malformed or hostile requests ({@link HostileRequests}) against every operation in
 * the OpenAPI document of ingest, aggregator and alert service, plus raw-socket attacks an HTTP client cannot send
 * (invalid and overlong UTF-8 in the request line and headers, oversized headers, slow bodies, many idle
 * connections). No answer may be a 5xx, no service may die, no topic of the registry may grow (every record a
 * hostile request could cause would be a record it must not cause), and memory must stay bounded: RSS and used heap
 * before and after.
 */
final class HostileInput implements ChaosScenario {

    private static final Map<String, String> OPENAPI = Map.of("ingest", "/swagger/borderwatch-ingest-0.1.yml",
            "aggregator", "/swagger/borderwatch-aggregator-0.1.yml", "alert", "/swagger/borderwatch-alert-0.1.yml");
    /** Everything outside /v1 the services serve besides their OpenAPI documents. */
    private static final List<HostileRequests.Operation> EXTRA = List.of(
            new HostileRequests.Operation("GET", "/health"), new HostileRequests.Operation("GET", "/prometheus"),
            new HostileRequests.Operation("GET", "/"), new HostileRequests.Operation("POST", "/console/session"),
            new HostileRequests.Operation("GET", "/console/api/aggregates"));
    private static final long RSS_GROWTH_LIMIT = 512L * 1024 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** Seconds the idle connections and slow bodies are held open (quick, full). */
    private static final int HOLD_QUICK = 5;
    private static final int HOLD_FULL = 20;

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "hostile input against every endpoint: no 5xx, no crash, nothing published, memory bounded";
    }

    @Override
    public void run(final ChaosContext context, final Findings findings) throws Exception {
        final int perService = context.quick() ? 3_400 : 10_000;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start()) {
            kafka.createTopics();
            try (Pipeline pipeline = Pipeline.start(kafka.bootstrapServers(), context.dir("7-hostile-input"),
                    new Pipeline.Settings(Pipeline.DEFAULT_WINDOWS, Map.of(), Map.of()), 1);
                 ClusterOffsets offsets = new ClusterOffsets(kafka.bootstrapServers())) {
                final String key = pipeline.credentials().adminKey();
                // Real records for PUT and PATCH with hostile bodies.
                pipeline.createRule(Reports.eventCountRule("chaos-real", "TJ-KT", "ILLEGAL_CROSSING", "PT1H", 5, 1,
                        "HIGH"));
                final Map<String, ServiceProcess> services = new LinkedHashMap<>();
                services.put("ingest", pipeline.ingest());
                services.put("aggregator", pipeline.aggregator());
                services.put("alert", pipeline.alerts().get(0));
                final Map<String, String> realIds = Map.of("/v1/rules/{id}", "chaos-real",
                        "/v1/rules/{ruleId}", "chaos-real");

                final List<TopicPartition> partitions = offsets.partitions(Topics.ALL.stream().map(Topic::name)
                        .toList());
                final Map<TopicPartition, Long> endBefore = offsets.endOffsets(partitions);
                final Map<String, long[]> memoryBefore = memory(services);

                final List<HostileRequests.Probe> probes = new ArrayList<>();
                int operations = 0;
                for (final Map.Entry<String, ServiceProcess> service : services.entrySet()) {
                    final List<HostileRequests.Operation> ops = new ArrayList<>(operations(service.getValue(),
                            OPENAPI.get(service.getKey())));
                    ops.addAll(EXTRA);
                    operations += ops.size();
                    probes.addAll(HostileRequests.generate(service.getKey(), ops, key, realIds, perService,
                            context.seed()));
                }
                context.say("%,d hostile requests for %d operations of 3 services", probes.size(), operations);
                final Outcomes outcomes = send(probes, services);
                final Outcomes raw = rawAttacks(services, context.quick());
                // Every request that got no answer, with the client's error: the verdict shows the first five.
                Files.write(context.dir("7-hostile-input").resolve("no-answer.txt"), outcomes.noAnswerExamples);
                // Which hostile requests were answered 2xx (e.g. /health whatever its query), to read, not judged.
                Files.write(context.dir("7-hostile-input").resolve("2xx-answers.txt"), outcomes.successes.entrySet()
                        .stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getValue() + " " + e.getKey())
                        .toList());
                final long slowHealthMs = raw.slowestHealthMs.get();

                final Map<String, long[]> memoryAfter = memory(services);
                final Map<TopicPartition, Long> endAfter = offsets.endOffsets(partitions);
                final List<String> grown = new ArrayList<>();
                endAfter.forEach((partition, end) -> {
                    if (!end.equals(endBefore.get(partition))) {
                        grown.add(partition + " " + endBefore.get(partition) + "→" + end);
                    }
                });

                findings.figure("%,d requests to %d operations (%,d answered: %s), %,d without an answer",
                        probes.size(), operations, outcomes.answered(), outcomes.byClass, outcomes.noAnswer.get());
                findings.figure("%d answers of /health were 503 (readiness: Kafka did not answer its check in time)",
                        outcomes.healthDown.get() + raw.healthDown.get());
                findings.figure("%,d raw-socket requests (%s), %d without an answer", raw.sent.get(), raw.byClass,
                        raw.noAnswer.get());
                findings.figure("%,d idle connections and slow bodies held %d s, %d of them refused or cut by the"
                        + " server (rule: micronaut.server.idle-timeout, 5 min; alert service 30 min), slowest"
                        + " /health meanwhile %d ms", raw.held.get(), context.quick() ? HOLD_QUICK : HOLD_FULL,
                        raw.cut.get(), slowHealthMs);
                services.forEach((name, process) -> findings.figure("%s RSS %d→%d MB, heap %d→%d MB", name,
                        memoryBefore.get(name)[0] >> 20, memoryAfter.get(name)[0] >> 20,
                        memoryBefore.get(name)[1] >> 20, memoryAfter.get(name)[1] >> 20));
                findings.check(probes.size() >= (context.quick() ? 10_000 : 30_000), "only " + probes.size()
                        + " requests");
                findings.check(outcomes.serverErrors.isEmpty(), outcomes.serverErrors.size() + " answers were 5xx,"
                        + " e.g. " + outcomes.serverErrors.stream().limit(5).toList());
                findings.check(outcomes.noAnswer.get() == 0, outcomes.noAnswer.get() + " requests got no answer,"
                        + " e.g. " + outcomes.noAnswerExamples.stream().limit(5).toList());
                findings.check(raw.noAnswer.get() == 0, raw.noAnswer.get() + " raw requests got no answer, e.g. "
                        + raw.noAnswerExamples.stream().limit(5).toList());
                findings.check(raw.serverErrors.isEmpty(), raw.serverErrors.size() + " raw attacks got 5xx, e.g. "
                        + raw.serverErrors.stream().limit(5).toList());
                services.forEach((name, process) -> findings.check(process.isAlive()
                        && new Api(process.baseUri()).isUp("/health"), name + " is not healthy after the attack"));
                findings.check(grown.isEmpty(), "hostile requests published records: " + grown);
                services.forEach((name, process) -> findings.check(memoryAfter.get(name)[0]
                        - memoryBefore.get(name)[0] < RSS_GROWTH_LIMIT, name + " RSS grew by more than "
                        + (RSS_GROWTH_LIMIT >> 20) + " MB"));
            }
        }
    }

    /** Every path and method of a service's OpenAPI document. */
    private static List<HostileRequests.Operation> operations(final ServiceProcess service, final String document)
            throws IOException {
        final String yaml = service.get(document.substring(1)).orElseThrow(() -> new IllegalStateException(
                service.name() + " serves no OpenAPI document at " + document));
        final JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(yaml).path("paths");
        final List<HostileRequests.Operation> operations = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                operations.add(new HostileRequests.Operation(method.toUpperCase(Locale.ROOT), path));
            }
        }));
        return operations;
    }

    /** RSS (VmRSS) and used heap ({@code jvm_memory_used_bytes{area="heap"}}) of each service, in bytes. */
    private static Map<String, long[]> memory(final Map<String, ServiceProcess> services) {
        final Map<String, long[]> memory = new LinkedHashMap<>();
        services.forEach((name, process) -> {
            final OptionalLong rss = ProcessMemory.rss(process.pid());
            final long heap = process.get("prometheus").map(text -> text.lines()
                    .filter(line -> line.startsWith("jvm_memory_used_bytes") && line.contains("area=\"heap\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum()).orElse(-1.0).longValue();
            memory.put(name, new long[] {rss.orElse(-1), heap});
        });
        return memory;
    }

    /** Answers by class (2xx, 4xx, 5xx), with examples of the 5xx. */
    private static final class Outcomes {
        private final Map<String, AtomicLong> byClass = new ConcurrentHashMap<>();
        private final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong noAnswer = new AtomicLong();
        private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
        private final List<String> noAnswerExamples = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong slowestHealthMs = new AtomicLong();
        private final AtomicLong healthDown = new AtomicLong();
        /** Idle connections and slow bodies: how many were held open, how many the server closed meanwhile. */
        private final AtomicLong held = new AtomicLong();
        private final AtomicLong cut = new AtomicLong();

        /**
         * A 503 from {@code /health} is the readiness answer the services document (Kafka did not answer the health
         * check in time), not an error an input caused: counted apart, not as a 5xx.
         */
        void record(final int status, final String what) {
            sent.incrementAndGet();
            byClass.computeIfAbsent(status / 100 + "xx", c -> new AtomicLong()).incrementAndGet();
            if (status == 503 && what.contains(" /health")) {
                healthDown.incrementAndGet();
            } else if (status >= 500) {
                serverErrors.add(status + " " + what);
            }
        }

        /** A 2xx for a hostile request: by method, service and path (without the query), for 2xx-answers.txt. */
        void succeeded(final HostileRequests.Probe probe) {
            successes.computeIfAbsent(probe.method() + " " + probe.service() + " " + abbreviate(probe.path()
                    .split("\\?", 2)[0]), k -> new AtomicLong()).incrementAndGet();
        }

        void lost(final String why, final String what) {
            noAnswer.incrementAndGet();
            noAnswerExamples.add(why + " " + what);
        }

        long answered() {
            return byClass.values().stream().mapToLong(AtomicLong::get).sum();
        }
    }

    private static Outcomes send(final List<HostileRequests.Probe> probes, final Map<String, ServiceProcess> services)
            throws InterruptedException {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        final Outcomes outcomes = new Outcomes();
        final ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            final List<Future<?>> futures = new ArrayList<>();
            for (final HostileRequests.Probe probe : probes) {
                futures.add(pool.submit(() -> sendOne(http, probe, services.get(probe.service()), outcomes)));
            }
            for (final Future<?> future : futures) {
                try {
                    future.get();
                } catch (final ExecutionException e) {
                    outcomes.lost("failed: " + e.getCause(), "");
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        return outcomes;
    }

    private static void sendOne(final HttpClient http, final HostileRequests.Probe probe,
                                final ServiceProcess service, final Outcomes outcomes) {
        final URI uri;
        try {
            uri = URI.create(service.baseUri() + probe.path());
        } catch (final IllegalArgumentException e) {
            outcomes.lost("URI: " + e.getMessage(), abbreviate(probe.path()));
            return;
        }
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
        try {
            if (probe.key() != null && !probe.key().isEmpty()) {
                request.header("X-API-Key", probe.key());
            }
            if (probe.contentType() != null && !probe.contentType().isEmpty()) {
                request.header("Content-Type", probe.contentType());
            }
            // Headers first: an SSE stream answers 200 and never ends; the status is what is judged.
            final HttpResponse<InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (!probe.path().contains("/stream")) {
                    body.readNBytes(1 << 20);
                }
            }
            if (response.statusCode() / 100 == 2) {
                outcomes.succeeded(probe);
            }
            outcomes.record(response.statusCode(), probe.method() + " " + probe.service() + " "
                    + abbreviate(probe.path()) + " body " + (probe.body() == null ? 0 : probe.body().length) + " B");
        } catch (final IOException | IllegalArgumentException e) {
            // The key's length only: a key is a secret, even a forged one may be someone's.
            outcomes.lost(e.getClass().getSimpleName() + ": " + e.getMessage(), probe.method() + " "
                    + probe.service() + " " + abbreviate(probe.path()) + " key of "
                    + (probe.key() == null ? 0 : probe.key().length()) + " chars, type " + probe.contentType()
                    + " body " + (probe.body() == null ? 0 : probe.body().length) + " B");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What an HTTP client library refuses to send: request lines and headers with invalid or overlong UTF-8 and
     * control characters, a 64 KiB header, garbage instead of HTTP; then slow bodies and many idle connections while
     * {@code /health} must keep answering.
     */
    private static Outcomes rawAttacks(final Map<String, ServiceProcess> services, final boolean quick)
            throws InterruptedException {
        final Outcomes outcomes = new Outcomes();
        final List<byte[]> requests = new ArrayList<>();
        for (final String path : List.of("/v1/incidents/%C0%AF", "/v1/\u00ff\u00fe", "/v1/rules/\u00c0\u00af",
                "/health\r\nX: y", "/" + "a".repeat(20_000), "/v1/alerts?region=\u00ed\u00a0\u0080")) {
            requests.add(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        requests.add(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: \u00c0\u00af\u00ff\r\nConnection: close"
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        requests.add(("GET /v1/rules HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(65_536)
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        requests.add("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 not HTTP\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        requests.add(("POST /v1/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: -5\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
        requests.add(("POST /v1/rules HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3"
                + "\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (final ServiceProcess service : services.values()) {
            for (final byte[] request : requests) {
                final int status = rawStatus(service.port(), request);
                final String what = service.name() + " raw " + new String(request, 0, Math.min(60, request.length),
                        StandardCharsets.ISO_8859_1).replace("\r\n", " ");
                if (status > 0) {
                    outcomes.record(status, what);
                } else {
                    outcomes.sent.incrementAndGet();
                    outcomes.lost("closed without an answer", what);
                }
            }
        }
        // Slow bodies and many idle connections at once, while each service must answer /health.
        final int idle = quick ? 200 : 1_000;
        final List<Socket> sockets = new ArrayList<>();
        try {
            for (final ServiceProcess service : services.values()) {
                for (int i = 0; i < idle; i++) {
                    final Socket socket = connect(service.port());
                    outcomes.held.incrementAndGet();
                    if (socket == null) {
                        outcomes.cut.incrementAndGet();
                    } else {
                        sockets.add(socket);
                        if (i % 20 == 0) {
                            // A slow body: headers promise 1,000 bytes, a few arrive.
                            socket.getOutputStream().write(("POST /v1/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\"")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(quick ? HOLD_QUICK : HOLD_FULL);
            while (System.nanoTime() < until) {
                for (final ServiceProcess service : services.values()) {
                    final long start = System.nanoTime();
                    final boolean up = new Api(service.baseUri()).isUp("/health");
                    final long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    outcomes.slowestHealthMs.accumulateAndGet(up ? took : Long.MAX_VALUE / 2, Math::max);
                    for (final Socket socket : sockets.subList(0, Math.min(sockets.size(), 20))) {
                        try {
                            socket.getOutputStream().write(' ');
                        } catch (final IOException e) {
                            // Closed by the server: counted by closedByPeer at the end, the others go on.
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            sockets.forEach(socket -> {
                if (closedByPeer(socket)) {
                    outcomes.cut.incrementAndGet();
                }
            });
        } catch (final IOException e) {
            // A server closing a slow connection is what it may do: counted by closedByPeer.
        } finally {
            sockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (final IOException e) {
                    // closing anyway
                }
            });
        }
        return outcomes;
    }

    /** True when the server has closed the connection (end of stream or reset); an open one just has nothing. */
    private static boolean closedByPeer(final Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() < 0;
        } catch (final java.net.SocketTimeoutException e) {
            return false;
        } catch (final IOException e) {
            return true;
        }
    }

    private static Socket connect(final int port) {
        try {
            final Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return socket;
        } catch (final IOException e) {
            return null;
        }
    }

    /** The status code of the answer, 0 if the server closed the connection without one. */
    private static int rawStatus(final int port, final byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            final byte[] head = socket.getInputStream().readNBytes(12);
            final String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.") && line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (final IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String abbreviate(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
