package org.borderwatch.alert.log;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.alert.lifecycle.LifecycleTopology;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.service.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance holds of the alert log {@code border.alerts.v1}, bounded however long the log grows
 * ({@link MemoryConfig}):
 * <ul>
 *   <li>the current state of the alerts an operations centre works with — every firing alert and every alert
 *       changed within {@code max-age} — at most {@code max-alerts} of them, loaded at start-up from the
 *       lifecycle's store of current states (its compacted changelog), never by replaying the log;</li>
 *   <li>the last {@code tail} changes of all alerts, read from the log from shortly before its end at start-up and
 *       followed live.</li>
 * </ul>
 * Everything older is read from Kafka when asked for: an SSE resume from before the tail reads the log from the
 * client's position with a short-lived reader and hands over to the live tail without gap or duplicate; the history
 * of an alert whose first change is no longer in the tail is read from its partition.
 *
 * <p>Listeners (SSE streams) get every change in the order this instance read it; registering replays the changes
 * after a position and adds the listener atomically, so a stream sees no gap and no duplicate between replay and
 * live changes.
 */
@Context
public final class AlertLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertLog.class);
    /** How often resolved alerts older than max-age are dropped while changes arrive (queries filter them anyway). */
    private static final Duration AGE_SWEEP = Duration.ofMinutes(1);
    private static final Duration RELOAD_BACKOFF = Duration.ofSeconds(2);

    /** A retained alert: its current state and the change before it (a CAP update references it). */
    private record Retained(Alert current, Alert previous) {
    }

    private final Object lock = new Object();
    private final MemoryConfig memory;
    private final KafkaClients kafka;
    private final String statesTopic;
    private final Map<String, Retained> alerts = new HashMap<>();
    private final ArrayDeque<LoggedAlert> tail = new ArrayDeque<>();
    private final Map<String, ArrayDeque<LoggedAlert>> tailByAlert = new HashMap<>();
    private final List<Consumer<LoggedAlert>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService resumes;
    private final Semaphore historyReads;
    private final Duration historyWait;
    private final AtomicInteger resuming = new AtomicInteger();
    private final TopicMirror<Alert> mirror;
    private final Thread statesLoader;
    /** Per partition: every record at or after this offset that this instance read is in the tail. */
    private long[] tailStart = new long[0];
    /** Per partition: the offset after the last record this instance read. */
    private long[] readNext = new long[0];
    private long sequence;
    private Instant lastSweep = Instant.EPOCH;
    private boolean warnedOpenEvicted;
    private final java.util.concurrent.CountDownLatch statesLoaded = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    public AlertLog(final KafkaClients kafka, final MemoryConfig memory, final AlertConfig config,
                    final MeterRegistry registry) {
        if (memory.maxAlerts() < 1 || memory.tail() < 1 || memory.resumeReaders() < 1 || memory.historyReaders() < 1
                || memory.maxAge().isNegative()) {
            throw new IllegalArgumentException("borderwatch.alert.memory: max-alerts, tail, resume-readers and"
                    + " history-readers must be at least 1 and max-age not negative, was " + memory);
        }
        this.memory = memory;
        this.kafka = kafka;
        // Kafka Streams names a store's changelog <application.id>-<store>-changelog.
        this.statesTopic = config.lifecycleApplicationId() + "-" + LifecycleTopology.STORE + "-changelog";
        this.historyReads = new Semaphore(memory.historyReaders(), true);
        this.historyWait = config.writeTimeout();
        final AtomicInteger threads = new AtomicInteger();
        this.resumes = Executors.newFixedThreadPool(memory.resumeReaders(), runnable -> {
            final Thread thread = new Thread(runnable, "alert-log-resume-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("borderwatch.alert.memory.alerts", this, AlertLog::retainedAlerts)
                .description("Alert states held in memory (at most max-alerts)").register(registry);
        Gauge.builder("borderwatch.alert.memory.changes", this, AlertLog::retainedChanges)
                .description("Alert changes held in memory (at most tail)").register(registry);
        Gauge.builder("borderwatch.alert.memory.resumes", this, AlertLog::resumesReading)
                .description("SSE resumes reading the alert log from Kafka").register(registry);
        LOG.info("Loading the alert log: current states from {}, the last {} changes of {}", statesTopic,
                memory.tail(), Topics.ALERTS);
        this.mirror = new TopicMirror<>(Topics.ALERTS, kafka, this::apply, this::startAt).start();
        this.statesLoader = new Thread(this::loadStates, "alert-states-loader");
        statesLoader.setDaemon(true);
        statesLoader.start();
    }

    /** Starts each partition {@code tail / partitions} records before its end: the log is never replayed. */
    private Map<Integer, Long> startAt(final Map<Integer, Long> beginning, final Map<Integer, Long> end) {
        final int partitions = end.size();
        final long perPartition = Math.max(1, (memory.tail() + partitions - 1) / Math.max(1, partitions));
        final Map<Integer, Long> start = new HashMap<>();
        synchronized (lock) {
            tailStart = new long[partitions];
            readNext = new long[partitions];
            end.forEach((partition, offset) -> {
                final long from = Math.max(beginning.getOrDefault(partition, 0L), offset - perPartition);
                start.put(partition, from);
                tailStart[partition] = from;
                readNext[partition] = from;
            });
        }
        return start;
    }

    /**
     * Loads the current state of every firing or recently changed alert from the lifecycle's store, through its
     * changelog (compacted: one record per alert, however many changes the log holds).
     */
    private void loadStates() {
        while (!closed && statesLoaded.getCount() > 0) {
            try (LogReader reader = new LogReader(kafka, statesTopic, "alert-states")) {
                final int partitions = reader.partitions();
                final Map<Integer, Long> from = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    from.put(p, 0L);
                }
                final int[] loaded = new int[1];
                reader.read(from, reader.endOffsets(partitions), record -> {
                    final Alert state = decode(record);
                    if (state != null && retainable(state, Instant.now())) {
                        synchronized (lock) {
                            remember(state);
                        }
                        loaded[0]++;
                    }
                    return !closed;
                });
                statesLoaded.countDown();
                LOG.info("Loaded {} current alert states from {} ({} partitions; none when the lifecycle has not"
                        + " created it yet)", loaded[0], statesTopic, partitions);
            } catch (final RuntimeException e) {
                LOG.warn("Cannot load alert states from {}: {}; trying again in {}", statesTopic, e.toString(),
                        RELOAD_BACKOFF);
                sleep(RELOAD_BACKOFF);
            }
        }
    }

    private void apply(final ConsumerRecord<String, Alert> record, final Alert alert) {
        if (alert == null) {
            return;
        }
        synchronized (lock) {
            final LoggedAlert logged = new LoggedAlert(alert, record.partition(), record.offset(), sequence++);
            if (record.partition() < readNext.length) {
                readNext[record.partition()] = record.offset() + 1;
            }
            remember(alert);
            tail.addLast(logged);
            tailByAlert.computeIfAbsent(alert.getAlertId(), id -> new ArrayDeque<>()).addLast(logged);
            while (tail.size() > memory.tail()) {
                forgetOldestChange();
            }
            for (final Consumer<LoggedAlert> listener : listeners) {
                listener.accept(logged);
            }
        }
    }

    /** Under the lock: the alert's state is {@code alert} unless a later version is known. */
    private void remember(final Alert alert) {
        final Retained known = alerts.get(alert.getAlertId());
        if (known == null || alert.getVersion() > known.current().getVersion()) {
            alerts.put(alert.getAlertId(), new Retained(alert, known == null ? null : known.current()));
        } else if (alert.getVersion() == known.current().getVersion()) {
            // The log's record of a version wins over the store's copy, which may hold a newer observed value only.
            alerts.put(alert.getAlertId(), new Retained(alert, known.previous()));
        }
        final Instant now = Instant.now();
        if (alerts.size() > memory.maxAlerts() || lastSweep.plus(AGE_SWEEP).isBefore(now)) {
            trim(now);
        }
    }

    /**
     * Under the lock: drops resolved alerts older than max-age, then, above max-alerts, resolved alerts oldest
     * update first (down to 90 %, so that this sort runs once per tenth of max-alerts new alerts), then, only if
     * more than max-alerts are firing, the firing alerts updated longest ago.
     */
    private void trim(final Instant now) {
        lastSweep = now;
        alerts.values().removeIf(retained -> !retainable(retained.current(), now));
        if (alerts.size() <= memory.maxAlerts()) {
            return;
        }
        final List<Alert> byAge = alerts.values().stream().map(Retained::current)
                .sorted(Comparator.comparing((Alert alert) -> alert.getStatus() == AlertStatus.FIRING)
                        .thenComparing(Alert::getUpdatedAt))
                .toList();
        final int resolvedTarget = memory.maxAlerts() - memory.maxAlerts() / 10;
        for (final Alert alert : byAge) {
            final boolean firing = alert.getStatus() == AlertStatus.FIRING;
            if (alerts.size() <= (firing ? memory.maxAlerts() : resolvedTarget)) {
                if (!firing) {
                    continue;
                }
                break;
            }
            if (firing && !warnedOpenEvicted) {
                warnedOpenEvicted = true;
                LOG.warn("More than {} alerts are firing: the least recently updated leave memory (still answered"
                        + " by id from the log); raise borderwatch.alert.memory.max-alerts", memory.maxAlerts());
            }
            alerts.remove(alert.getAlertId());
        }
    }

    private boolean retainable(final Alert alert, final Instant now) {
        return alert.getStatus() == AlertStatus.FIRING || !alert.getUpdatedAt().isBefore(now.minus(memory.maxAge()));
    }

    /** Under the lock. */
    private void forgetOldestChange() {
        final LoggedAlert oldest = tail.removeFirst();
        final ArrayDeque<LoggedAlert> ofAlert = tailByAlert.get(oldest.alert().getAlertId());
        ofAlert.removeFirst();
        if (ofAlert.isEmpty()) {
            tailByAlert.remove(oldest.alert().getAlertId());
        }
        if (oldest.partition() < tailStart.length) {
            tailStart[oldest.partition()] = oldest.offset() + 1;
        }
    }

    /**
     * The changes of one alert that are still in the tail, oldest first: its whole history when its first change is
     * among them ({@link #history} reads the rest from Kafka). For decisions that must not wait for Kafka.
     */
    public List<LoggedAlert> recentHistory(final String alertId) {
        synchronized (lock) {
            return List.copyOf(tailByAlert.getOrDefault(alertId, new ArrayDeque<>()));
        }
    }

    /**
     * Every change of one alert, oldest first (empty when the log has none): from memory when the tail holds its
     * first change, otherwise read from the alert's partition of the log.
     *
     * @throws ProblemException 429 when {@code history-readers} reads are running and none ends within
     *                          {@code write-timeout}
     */
    public List<LoggedAlert> history(final String alertId) {
        synchronized (lock) {
            final ArrayDeque<LoggedAlert> recent = tailByAlert.get(alertId);
            final Retained retained = alerts.get(alertId);
            if (recent != null && recent.getFirst().alert().getVersion() <= 1
                    && (retained == null || recent.getLast().alert().getVersion() >= retained.current().getVersion())) {
                return List.copyOf(recent);
            }
        }
        return readHistory(alertId);
    }

    private List<LoggedAlert> readHistory(final String alertId) {
        try {
            if (!historyReads.tryAcquire(historyWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ProblemException.of(HttpStatus.TOO_MANY_REQUESTS, "Reading alert histories from the log is at"
                        + " its limit (" + memory.historyReaders() + " at once); try again shortly.");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (LogReader reader = new LogReader(kafka, Topics.ALERTS.name(), "alert-history")) {
            final byte[] key = Topics.KEY.serializer().serialize(Topics.ALERTS.name(), alertId);
            final int partitions = reader.partitions();
            if (partitions == 0) {
                return List.of();
            }
            // The lifecycle writes with the producer's default partitioner: murmur2 of the key bytes.
            final int partition = Utils.toPositive(Utils.murmur2(key)) % partitions;
            final List<LoggedAlert> history = new ArrayList<>();
            reader.read(Map.of(partition, 0L), reader.endOffsets(partitions), record -> {
                if (Arrays.equals(key, record.key())) {
                    final Alert alert = decode(record);
                    if (alert != null) {
                        history.add(new LoggedAlert(alert, record.partition(), record.offset(), -1));
                    }
                }
                return !closed;
            });
            return history;
        } finally {
            historyReads.release();
        }
    }

    /** The current state of one alert: from memory, or the last change in its history. */
    public Optional<Alert> current(final String alertId) {
        synchronized (lock) {
            final Retained retained = alerts.get(alertId);
            if (retained != null) {
                return Optional.of(retained.current());
            }
        }
        final List<LoggedAlert> history = history(alertId);
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1).alert());
    }

    /** The change before {@code change} of the same alert, when this instance holds it. */
    public Optional<Alert> previous(final Alert change) {
        synchronized (lock) {
            final Retained retained = alerts.get(change.getAlertId());
            if (retained != null && retained.current().getVersion() == change.getVersion()
                    && retained.previous() != null) {
                return Optional.of(retained.previous());
            }
            Alert previous = null;
            for (final LoggedAlert logged : tailByAlert.getOrDefault(change.getAlertId(), new ArrayDeque<>())) {
                if (logged.alert().getVersion() < change.getVersion()) {
                    previous = logged.alert();
                }
            }
            return Optional.ofNullable(previous);
        }
    }

    /**
     * The current state of every alert in memory (firing, or changed within max-age) matching {@code filter}, most
     * recently updated first.
     */
    public List<Alert> currentAlerts(final Predicate<Alert> filter) {
        final List<Alert> current = new ArrayList<>();
        final Instant now = Instant.now();
        synchronized (lock) {
            for (final Retained retained : alerts.values()) {
                if (retainable(retained.current(), now) && filter.test(retained.current())) {
                    current.add(retained.current());
                }
            }
        }
        current.sort(Comparator.comparing(Alert::getUpdatedAt).reversed().thenComparing(Alert::getAlertId));
        return current;
    }

    /**
     * The position after everything this instance has read.
     *
     * @throws ProblemException 503 when the log is not assigned yet (start-up, Kafka unreachable) within
     *                          {@code write-timeout}: no position is known to start a stream at
     */
    public LogPosition end() {
        if (!awaitStarted()) {
            throw notStarted();
        }
        synchronized (lock) {
            return LogPosition.of(readNext);
        }
    }

    /** Whether the mirror has chosen where each partition starts (waiting up to write-timeout for it). */
    private boolean awaitStarted() {
        synchronized (lock) {
            if (tailStart.length > 0) {
                return true;
            }
        }
        mirror.awaitCaughtUp(historyWait);
        synchronized (lock) {
            return tailStart.length > 0;
        }
    }

    private static ProblemException notStarted() {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, ProblemException.TYPE_UNAVAILABLE,
                "The alert log is not loaded yet", "This instance is still loading the alert log from Kafka; try"
                + " again in a few seconds.", List.of(), Duration.ofSeconds(5));
    }

    public int partitions() {
        return mirror.partitions();
    }

    /** Alerts whose current state is in memory (bounded by max-alerts). */
    public int retainedAlerts() {
        synchronized (lock) {
            return alerts.size();
        }
    }

    /** Changes in the tail (bounded by tail). */
    public int retainedChanges() {
        synchronized (lock) {
            return tail.size();
        }
    }

    /** SSE resumes reading the log from Kafka now. */
    public int resumesReading() {
        return resuming.get();
    }

    /**
     * Hands {@code listener} every change at or after {@code from}, in order per partition, then every new change,
     * with nothing lost or repeated in between. Changes in the tail are replayed at once, on the calling thread;
     * when {@code from} lies before the tail, a resume reader reads the log from {@code from} on its own thread
     * (calling the listener with changes whose {@link LoggedAlert#replayed()} is true; it may block to pace the
     * reader) until it reaches the tail, then hands over to live changes, which come on the log's thread (the
     * listener must not block on those). {@code failed} runs instead when the resume cannot read the log.
     *
     * @return call to remove the listener (and stop its resume reader)
     */
    public Runnable listen(final LogPosition from, final Consumer<LoggedAlert> listener, final Runnable failed) {
        if (!awaitStarted()) {
            throw notStarted();
        }
        synchronized (lock) {
            if (coveredByTail(from)) {
                replayTail(from, listener);
                listeners.add(listener);
                return () -> listeners.remove(listener);
            }
        }
        final Resume resume = new Resume(from.copy(), listener, failed);
        resumes.execute(resume);
        return resume::cancel;
    }

    /** Under the lock. */
    private boolean coveredByTail(final LogPosition from) {
        for (int p = 0; p < tailStart.length; p++) {
            if (from.next(p) < tailStart[p]) {
                return false;
            }
        }
        return true;
    }

    /** Under the lock. */
    private void replayTail(final LogPosition from, final Consumer<LoggedAlert> listener) {
        for (final LoggedAlert logged : tail) {
            if (from.isBefore(logged.partition(), logged.offset())) {
                listener.accept(logged);
            }
        }
    }

    /** Reads the log from a position before the tail until the tail covers the rest, then hands over. */
    private final class Resume implements Runnable {

        private final LogPosition at;
        private final Consumer<LoggedAlert> listener;
        private final Runnable failed;
        private volatile boolean cancelled;

        Resume(final LogPosition at, final Consumer<LoggedAlert> listener, final Runnable failed) {
            this.at = at;
            this.listener = listener;
            this.failed = failed;
        }

        @Override
        public void run() {
            resuming.incrementAndGet();
            try (LogReader reader = new LogReader(kafka, Topics.ALERTS.name(), "alert-resume")) {
                while (!cancelled && !closed) {
                    final Map<Integer, Long> from = new HashMap<>();
                    final Map<Integer, Long> until = new HashMap<>();
                    synchronized (lock) {
                        if (coveredByTail(at)) {
                            replayTail(at, listener);
                            listeners.add(listener);
                            return;
                        }
                        for (int p = 0; p < readNext.length; p++) {
                            from.put(p, at.next(p));
                            until.put(p, readNext[p]);
                        }
                    }
                    reader.read(from, until, record -> {
                        final Alert alert = decode(record);
                        if (alert != null && !cancelled) {
                            listener.accept(new LoggedAlert(alert, record.partition(), record.offset(), -1));
                        }
                        return !cancelled && !closed;
                    }).forEach((partition, reached) -> at.advancePast(partition, reached - 1));
                }
            } catch (final RuntimeException e) {
                LOG.warn("An SSE resume from {} could not read {}: {}; the stream ends and the client resumes",
                        at, Topics.ALERTS, e.toString());
                failed.run();
            } finally {
                resuming.decrementAndGet();
            }
        }

        void cancel() {
            cancelled = true;
            synchronized (lock) {
                listeners.remove(listener);
            }
        }
    }

    public int listenerCount() {
        return listeners.size();
    }

    public boolean isCaughtUp() {
        return statesLoaded.getCount() == 0 && mirror.isCaughtUp();
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        if (!mirror.awaitCaughtUp(timeout)) {
            return false;
        }
        try {
            return statesLoaded.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until this instance has read the record at ({@code partition}, {@code offset}). */
    public boolean awaitPosition(final int partition, final long offset, final Duration timeout) {
        return mirror.awaitPosition(partition, offset, timeout);
    }

    /**
     * Completes with the first change of {@code alertId} read after this call that satisfies {@code condition}
     * (or with the current state, if it already does).
     */
    public CompletableFuture<Alert> awaitChange(final String alertId, final Predicate<Alert> condition) {
        final CompletableFuture<Alert> seen = new CompletableFuture<>();
        final Consumer<LoggedAlert> listener = logged -> {
            if (logged.alert().getAlertId().equals(alertId) && condition.test(logged.alert())) {
                seen.complete(logged.alert());
            }
        };
        synchronized (lock) {
            final Retained retained = alerts.get(alertId);
            if (retained != null && condition.test(retained.current())) {
                seen.complete(retained.current());
            }
            listeners.add(listener);
        }
        seen.whenComplete((alert, error) -> listeners.remove(listener));
        return seen;
    }

    private static Alert decode(final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (final SerializationException e) {
            LOG.error("Skipping undecodable alert {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    private static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closed = true;
        resumes.shutdownNow();
        mirror.close();
        statesLoader.interrupt();
    }
}
