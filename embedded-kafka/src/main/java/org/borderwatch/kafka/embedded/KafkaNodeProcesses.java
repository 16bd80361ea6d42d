package org.borderwatch.kafka.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.schemas.TopicProvisioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of {@code n} combined nodes, each one a child JVM ({@link EmbeddedKafkaMain} {@code --node i}) on
 * fixed ports of 127.0.0.1 that this class picks, so that one broker can be killed for real (SIGKILL: no controlled
 * shutdown, no flush) and started again on its ports and data while the others keep running. The children run
 * from this JVM's own class path. Every process is ended by its own handle on close.
 *
 * <p>Plaintext, or SASL_SSL as {@link Security#saslSsl()} describes: this class makes the cluster's certificates
 * and passwords once ({@link SecurityFiles}) before any node starts, each node formats its storage with the super
 * user {@code admin}'s SCRAM credential and serves with the shared certificate, and once every node is ready this
 * class applies the access policy as {@code admin} over the client listener ({@link ClusterLockdown}).
 */
public final class KafkaNodeProcesses implements ClientSettings, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNodeProcesses.class);
    // Generous: on a 2-core box shared with other builds a node JVM has been seen to take over 2 min to start.
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int brokers;
    private final Path dataDir;
    private final Path logDir;
    private final String heap;
    private final int firstPort;
    private final int firstControllerPort;
    private final Security security;
    private final Process[] processes;
    private final int[] starts;
    private SecurityFiles securityFiles;

    private KafkaNodeProcesses(final int brokers, final Path dataDir, final Path logDir, final String heap,
                               final int firstPort, final int firstControllerPort, final Security security) {
        this.brokers = brokers;
        this.security = security;
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.heap = heap;
        this.firstPort = firstPort;
        this.firstControllerPort = firstControllerPort;
        this.processes = new Process[brokers];
        this.starts = new int[brokers];
    }

    /**
     * Starts {@code brokers} node processes on {@code dataDir} (kept; the caller deletes it) and returns once each
     * has printed its READY line. Topics: {@link #createTopics()}.
     *
     * @param logDir where node i writes {@code kafka-<i>-<start>.log}
     * @param heap   {@code -Xmx} of each node
     */
    public static KafkaNodeProcesses start(final int brokers, final Path dataDir, final Path logDir,
                                           final String heap) {
        return start(brokers, dataDir, logDir, heap, Security.plaintext());
    }

    /**
     * As {@link #start(int, Path, Path, String)}, with {@code security}; on SASL_SSL it returns once the access
     * policy is applied and every broker accepts its users ({@link #clientProperties}).
     */
    public static KafkaNodeProcesses start(final int brokers, final Path dataDir, final Path logDir,
                                           final String heap, final Security security) {
        final int first = freeRange(brokers);
        final int controllers = freeRange(brokers);
        final KafkaNodeProcesses cluster = new KafkaNodeProcesses(brokers, dataDir, logDir, heap, first,
                controllers, security);
        try {
            Files.createDirectories(logDir);
            // Written once before any node starts, so that the nodes agree on the cluster id, CA and passwords.
            EmbeddedKafkaCluster.clusterId(dataDir, brokers);
            if (security.isSaslSsl()) {
                cluster.securityFiles = SecurityFiles.loadOrCreate(dataDir, security.users(), Clock.systemUTC());
            }
            final long startedAt = System.nanoTime();
            final List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (int i = 0; i < brokers; i++) {
                final int node = i;
                ready.add(CompletableFuture.runAsync(() -> cluster.startNode(node)));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            if (security.isSaslSsl()) {
                final long lockdownAt = System.nanoTime();
                try (Admin admin = Admin.create(cluster.clientProperties(AccessPolicy.ADMIN))) {
                    ClusterLockdown.apply(admin, security, cluster.securityFiles, IntStream.range(0, brokers)
                            .mapToObj(i -> ReservedListeners.LOOPBACK + ":" + cluster.port(i)).toList());
                }
                LOG.info("SASL_SSL node processes ready in {} ms (nodes {} ms, users and ACLs {} ms)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
                        TimeUnit.NANOSECONDS.toMillis(lockdownAt - startedAt),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockdownAt));
            }
            return cluster;
        } catch (final IOException e) {
            cluster.close();
            throw new UncheckedIOException("cannot prepare " + dataDir, e);
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return IntStream.range(0, brokers)
                .mapToObj(i -> ReservedListeners.LOOPBACK + ":" + (firstPort + i))
                .collect(Collectors.joining(","));
    }

    /** The client port of node {@code i}. */
    public int port(final int node) {
        return firstPort + node;
    }

    /**
     * Client settings for {@code user}: the bootstrap servers and, on SASL_SSL, the user's SCRAM login and the trust
     * store, as {@link EmbeddedKafkaCluster#clientProperties} gives them; also in
     * {@code <data-dir>/security/client-<user>.properties}.
     */
    @Override
    public Map<String, Object> clientProperties(final String user) {
        if (!security.isSaslSsl()) {
            return new LinkedHashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return securityFiles.clientProperties(bootstrapServers(), user);
    }

    /**
     * Creates the registry's topics, replicated {@code min(3, n)} times, min.insync.replicas 2 on 3 nodes (as the
     * super user on SASL_SSL).
     */
    public List<String> createTopics() {
        try (Admin admin = Admin.create(clientProperties(AccessPolicy.ADMIN))) {
            return TopicProvisioner.ensureTopics(admin, (short) Math.min(3, brokers), brokers >= 3 ? 2 : 1);
        }
    }

    public synchronized long pid(final int node) {
        return processes[node].pid();
    }

    public synchronized boolean isAlive(final int node) {
        return processes[node] != null && processes[node].isAlive();
    }

    /** SIGKILL of node {@code i}'s process; returns once it is gone. */
    public void kill(final int node) {
        final Process process;
        synchronized (this) {
            process = processes[node];
        }
        process.destroyForcibly();
        await(process, Duration.ofSeconds(10));
        LOG.info("Killed Kafka node {} (pid {}) with SIGKILL", node, process.pid());
    }

    /** SIGTERM of node {@code i} (controlled shutdown), SIGKILL if it has not exited within 30 s. */
    public void stop(final int node) {
        final Process process;
        synchronized (this) {
            process = processes[node];
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!await(process, STOP_TIMEOUT)) {
            LOG.warn("Kafka node {} (pid {}) did not stop within {}; killing it", node, process.pid(), STOP_TIMEOUT);
            kill(node);
        }
    }

    /**
     * Starts node {@code i} (again) on its ports and data; returns once it printed READY (its broker is registered
     * and unfenced).
     */
    public void startNode(final int node) {
        final int start;
        synchronized (this) {
            if (isAlive(node)) {
                throw new IllegalStateException("Kafka node " + node + " is running");
            }
            start = ++starts[node];
        }
        final Path log = logDir.resolve("kafka-" + node + "-" + start + ".log");
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), EmbeddedKafkaMain.class.getName(),
                "--data-dir", dataDir.toString(), "--brokers", Integer.toString(brokers), "--node",
                Integer.toString(node), "--port", Integer.toString(firstPort), "--controller-port",
                Integer.toString(firstControllerPort)));
        if (security.isSaslSsl()) {
            // The node reads the certificates and passwords from the data directory: none on its command line.
            command.add("--sasl-ssl");
        }
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + node, e);
        }
        synchronized (this) {
            processes[node] = process;
        }
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(EmbeddedKafkaMain.READY)) {
                        ready.complete(true);
                    }
                }
            } catch (final IOException e) {
                LOG.debug("stdout of Kafka node {} closed", node, e);
            }
            ready.complete(false);
        }, "kafka-node-" + node + "-stdout");
        reader.setDaemon(true);
        reader.start();
        final boolean started;
        try {
            started = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (final Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Kafka node " + node + " not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; see " + log, e);
        }
        if (!started) {
            throw new IllegalStateException("Kafka node " + node + " exited before it was ready; see " + log);
        }
        LOG.info("Kafka node {} ready (pid {}, 127.0.0.1:{}, log {})", node, process.pid(), port(node), log);
    }

    /** Stops every node: SIGTERM to all at once, SIGKILL to any still running after 30 s. */
    @Override
    public void close() {
        final List<Process> running = new ArrayList<>();
        synchronized (this) {
            for (final Process process : processes) {
                if (process != null && process.isAlive()) {
                    process.destroy();
                    running.add(process);
                }
            }
        }
        for (final Process process : running) {
            if (!await(process, STOP_TIMEOUT)) {
                process.destroyForcibly();
                await(process, Duration.ofSeconds(10));
            }
        }
    }

    private static boolean await(final Process process, final Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** {@code n} consecutive free ports on 127.0.0.1 (free when checked: the nodes bind them moments later). */
    private static int freeRange(final int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            final int first;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = socket.getLocalPort();
            } catch (final IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
            if (first + n - 1 <= 65535 && IntStream.range(1, n).allMatch(i -> free(first + i))) {
                return first;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports on 127.0.0.1");
    }

    private static boolean free(final int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}
