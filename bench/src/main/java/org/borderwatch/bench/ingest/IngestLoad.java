package org.borderwatch.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.borderwatch.bench.latency.BackgroundLoad;
import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.process.ProcessCpu;

/**
 * Closed-loop load on the ingest API: {@code clients} threads each send a request, wait for its answer and send
 * the next, for a warm-up and then a measured stretch; events/s is what the API answered as accepted (Kafka has
 * them: {@code acks=all}) during the measured stretch only. Bodies come from a pool generated beforehand, cycled
 * (a report sent twice is a retried publish, which the aggregator drops downstream; ingest accepts it again).
 */
public final class IngestLoad {

    /**
     * @param timeline          accepted events per second, each second of the measured stretch
     * @param serviceCpuSeconds CPU the service answering used during the measured stretch (user + system, from
     *                          {@code /proc}); NaN when it was not read
     */
    public record Result(String what, int clients, double eventsPerSecond, long accepted, long notAccepted,
                         long failedRequests, List<Double> timeline, double serviceCpuSeconds) {

        /** The service's CPU per answered event during the measured stretch, in µs; NaN when not read. */
        public double serviceCpuMicrosPerEvent() {
            return serviceCpuSeconds * 1e6 / (accepted + notAccepted);
        }
    }

    private IngestLoad() {
    }

    /** {@code POST /v1/batch} of {@code linesPerBatch} NDJSON lines from {@code clients} clients. */
    public static Result batch(final Api ingest, final String key, final List<EventLines> pool, final int clients,
                               final int linesPerBatch, final Duration warmup, final Duration measured) {
        final List<String> bodies = new ArrayList<>();
        for (int from = 0; from + linesPerBatch <= pool.size(); from += linesPerBatch) {
            final StringBuilder body = new StringBuilder(linesPerBatch * 400);
            pool.subList(from, from + linesPerBatch).forEach(line -> body.append(line.line()).append('\n'));
            bodies.add(body.toString());
        }
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("the pool holds fewer than " + linesPerBatch + " lines");
        }
        return run("POST /v1/batch (" + linesPerBatch + " lines, " + clients + " clients)", clients, warmup, measured,
                () -> index -> {
                    final HttpResponse<String> response = ingest.postAsync("/v1/batch", key,
                            "application/x-ndjson", bodies.get((int) (index % bodies.size()))).join();
                    final long ok = BackgroundLoad.acceptedLines(response);
                    return new long[] {ok, linesPerBatch - ok};
                });
    }

    /**
     * One event per {@code POST /v1/incidents} or {@code /v1/seizures}, from {@code clients} keep-alive connections
     * driven by one thread ({@link ClosedLoopClients}: a lean client, so that the service rather than the load
     * generator gets the CPU). {@code servicePid}: the ingest service's process, whose CPU over the measured stretch
     * the result carries (0: not read).
     */
    public static Result single(final Api ingest, final String key, final List<EventLines> pool, final int clients,
                                final Duration warmup, final Duration measured, final long servicePid) {
        final URI base = ingest.uri("/");
        final InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        final byte[][] requests = pool.stream().map(event -> ClosedLoopClients.post(address, event.path(), key,
                "application/json", event.json().getBytes(StandardCharsets.UTF_8))).toArray(byte[][]::new);
        try (Tally tally = new Tally(warmup, measured, servicePid)) {
            final ClosedLoopClients.Outcome outcome = new ClosedLoopClients.Outcome() {
                @Override
                public void answered(final int status) {
                    tally.answered(status == 202 ? 1 : 0, status == 202 ? 0 : 1);
                }

                @Override
                public void failed(final IOException cause) {
                    tally.failed();
                }
            };
            try (ClosedLoopClients load = new ClosedLoopClients(address,
                    n -> requests[(int) (n % requests.length)], outcome)) {
                load.run(clients, tally.measureTo);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot connect to " + base, e);
            }
            return tally.result("POST /v1/incidents|seizures (" + clients + " clients)", clients);
        }
    }

    /** One client's requests: returns {accepted, not accepted} events. */
    private interface Request extends AutoCloseable {
        long[] send(long index);

        @Override
        default void close() {
        }
    }

    private static Result run(final String what, final int clients, final Duration warmup, final Duration measured,
                              final Supplier<Request> client) {
        final AtomicLong next = new AtomicLong();
        try (Tally tally = new Tally(warmup, measured, 0)) {
            final List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                final Thread thread = new Thread(() -> {
                    try (Request request = client.get()) {
                        while (System.nanoTime() < tally.measureTo) {
                            try {
                                final long[] result = request.send(next.getAndIncrement());
                                tally.answered(result[0], result[1]);
                            } catch (final RuntimeException e) {
                                tally.failed();
                            }
                        }
                    }
                }, "ingest-load-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
            try {
                for (final Thread thread : threads) {
                    thread.join(measured.plus(warmup).plusSeconds(60).toMillis());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return tally.result(what, clients);
        }
    }

    /**
     * What the clients were answered: accepted and refused events within the measured stretch, failed requests.
     * Closing it stops its sampler.
     */
    private static final class Tally implements AutoCloseable {
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong notAccepted = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final long measureFrom;
        private final long measureTo;
        private final Duration measured;
        private final List<Double> timeline = new ArrayList<>();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final long servicePid;
        private volatile double cpuAtStart = Double.NaN;
        private volatile double cpuAtEnd = Double.NaN;

        /**
         * Starts the clock: a warm-up, then the measured stretch, sampled each second for the timeline; the CPU of
         * {@code servicePid} (if above 0) is read as the measured stretch starts and ends.
         */
        Tally(final Duration warmup, final Duration measured, final long servicePid) {
            this.measured = measured;
            this.servicePid = servicePid;
            this.measureFrom = System.nanoTime() + warmup.toNanos();
            this.measureTo = measureFrom + measured.toNanos();
            if (servicePid > 0) {
                sampler.schedule(() -> cpuAtStart = serviceCpu(), warmup.toNanos(), TimeUnit.NANOSECONDS);
                sampler.schedule(() -> cpuAtEnd = serviceCpu(), warmup.plus(measured).toNanos(),
                        TimeUnit.NANOSECONDS);
            }
            final AtomicLong last = new AtomicLong();
            sampler.scheduleAtFixedRate(() -> {
                final long now = accepted.get();
                synchronized (timeline) {
                    timeline.add((double) (now - last.getAndSet(now)));
                }
            }, warmup.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        }

        /** Counted when answered: an answer within the measured stretch counts in it. */
        void answered(final long ok, final long refused) {
            final long now = System.nanoTime();
            if (now >= measureFrom && now < measureTo) {
                accepted.addAndGet(ok);
                notAccepted.addAndGet(refused);
            }
        }

        void failed() {
            failed.incrementAndGet();
        }

        Result result(final String what, final int clients) {
            close();
            if (servicePid > 0 && Double.isNaN(cpuAtEnd)) {
                cpuAtEnd = serviceCpu(); // the end's sample had not run yet: within moments of it
            }
            synchronized (timeline) {
                return new Result(what, clients, accepted.get() / (measured.toNanos() / 1e9), accepted.get(),
                        notAccepted.get(), failed.get(), List.copyOf(timeline), cpuAtEnd - cpuAtStart);
            }
        }

        private double serviceCpu() {
            return ProcessCpu.seconds(servicePid).orElse(Double.NaN);
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }
}
