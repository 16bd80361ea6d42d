package org.borderwatch.kafka.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.utils.Utils;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.kafka.access.ClusterAccess;
import org.borderwatch.schemas.TopicProvisioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster in this JVM: 1 or 3 KRaft nodes, each both broker and controller, listening on
 * 127.0.0.1 only. Data lives under {@code dataDir/node-<i>}; the cluster id and size are kept in
 * {@code dataDir/cluster.properties}, so a cluster built on the same directory restarts with its data.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(3).build().start()) {
 *     kafka.createTopics();
 *     // clients use kafka.bootstrapServers()
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements ClientSettings, AutoCloseable {

    static final String CLUSTER_FILE = "cluster.properties";
    static final String LOCK_FILE = "cluster.lock";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** A node in its own process waits for the other processes' controllers, each a JVM still starting. */
    private static final Duration NODE_READY_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration CONTROLLED_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Path> DIRS_IN_USE = ConcurrentHashMap.newKeySet();

    private final int brokers;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int firstPort;
    private final int firstControllerPort;
    private final Map<String, String> brokerProperties;
    private final Security security;
    private final List<KafkaNode> nodes;
    /** The nodes this JVM runs: all of them, or one ({@link Builder#onlyNode}) while other processes run the rest. */
    private final List<KafkaNode> local;
    private final String lockFile;
    private volatile SecurityFiles securityFiles;
    private volatile State state = State.NEW;
    private FileLock dataDirLock;
    private Path lockedDir;

    private enum State { NEW, STARTED, CLOSED }

    private EmbeddedKafkaCluster(final Builder builder) throws IOException {
        this.brokers = builder.brokers;
        this.deleteOnClose = builder.dataDir == null;
        this.dataDir = deleteOnClose ? Files.createTempDirectory("borderwatch-kafka-") : builder.dataDir;
        this.firstPort = builder.firstPort;
        this.firstControllerPort = builder.firstControllerPort;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.security = builder.security;
        this.nodes = IntStream.range(0, brokers)
                .mapToObj(i -> new KafkaNode(i, dataDir.resolve("node-" + i)))
                .toList();
        this.local = builder.onlyNode < 0 ? nodes : List.of(nodes.get(builder.onlyNode));
        this.lockFile = builder.onlyNode < 0 ? LOCK_FILE : "node-" + builder.onlyNode + ".lock";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage on first use, starts every node and returns once all brokers are registered and
     * unfenced.
     *
     * @throws IllegalStateException if a port is taken, another cluster runs on the data directory, the directory
     *                               belongs to a cluster of another size, or the brokers are not ready within 60 s
     */
    public synchronized EmbeddedKafkaCluster start() {
        if (state != State.NEW) {
            throw new IllegalStateException("a cluster starts once; use startBroker to restart a node");
        }
        state = State.STARTED;
        final long startedAt = System.nanoTime();
        try {
            lockDataDir();
            if (security.isSaslSsl()) {
                // A node process uses what the process that prepared the cluster made; it makes nothing itself.
                securityFiles = wholeCluster()
                        ? SecurityFiles.loadOrCreate(dataDir, security.users(), Clock.systemUTC())
                        : SecurityFiles.load(dataDir);
            }
            for (final KafkaNode node : nodes) {
                final int clientPort = firstPort == 0 ? 0 : firstPort + node.id();
                final int controllerPort = firstControllerPort == 0 ? 0 : firstControllerPort + node.id();
                if (local.contains(node)) {
                    node.reservePorts(clientPort, controllerPort, security.isSaslSsl());
                } else {
                    node.assumePorts(clientPort, controllerPort);
                }
            }
            final String clusterId = clusterId(dataDir, brokers);
            for (final KafkaNode node : local) {
                node.configure(serverProperties(node));
                if (!node.isFormatted()) {
                    final long formatStart = System.nanoTime();
                    node.format(clusterId, bootstrapUsers());
                    LOG.info("Formatted {} for cluster {} in {} ms", node.logDir(), clusterId,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - formatStart));
                }
            }
            // In parallel: on three nodes each broker waits for a controller quorum of the other nodes.
            forEachNode(local, KafkaNode::start);
            awaitBrokers(local);
            final long brokersReadyAt = System.nanoTime();
            // Node processes: whoever started them applies the policy once, when all of them run.
            if (security.isSaslSsl() && wholeCluster()) {
                secure();
            }
            LOG.info("Kafka cluster {} ready at {} ({}) in {} ms (brokers {} ms, users and ACLs {} ms)", clusterId,
                    bootstrapServers(), security.isSaslSsl() ? "SASL_SSL" : "PLAINTEXT",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
                    TimeUnit.NANOSECONDS.toMillis(brokersReadyAt - startedAt),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - brokersReadyAt));
            return this;
        } catch (final Exception e) {
            close();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot start Kafka in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:p0,127.0.0.1:p1,...}, including stopped brokers (their ports stay theirs). */
    public String bootstrapServers() {
        if (state == State.NEW) {
            throw new IllegalStateException("the ports are known once start() has been called");
        }
        return nodes.stream()
                .map(node -> ReservedListeners.LOOPBACK + ":" + node.clientPort())
                .collect(Collectors.joining(","));
    }

    /**
     * Client configuration for {@code user}: bootstrap servers and, on a SASL_SSL cluster, the security protocol,
     * SCRAM mechanism, JAAS line with the user's password, and the trust store. The same settings are in
     * {@code <data-dir>/security/client-<user>.properties}.
     *
     * @throws IllegalArgumentException if the cluster has no such SCRAM user
     */
    @Override
    public Map<String, Object> clientProperties(final String user) {
        if (!security.isSaslSsl()) {
            return new LinkedHashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return securityFiles.clientProperties(bootstrapServers(), user);
    }

    /** The SCRAM users' client configurations (none on a plaintext cluster): the super user, the policy's, extras. */
    public Set<String> users() {
        return security.isSaslSsl() ? security.users() : Set.of();
    }

    public Security security() {
        return security;
    }

    public int brokerCount() {
        return brokers;
    }

    /** Stops node {@code index} cleanly (controlled shutdown). Its ports and data stay for {@link #startBroker}. */
    public synchronized void stopBroker(final int index) {
        final KafkaNode node = startedNode(index);
        final long stopStart = System.nanoTime();
        node.stopBroker(CONTROLLED_SHUTDOWN_TIMEOUT);
        node.stopController();
        LOG.info("Stopped broker {} in {} ms", index, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart));
    }

    /** Restarts node {@code index} on its ports and data; returns once the cluster sees it as a broker again. */
    public synchronized void startBroker(final int index) {
        final KafkaNode node = startedNode(index);
        final long startStart = System.nanoTime();
        node.start();
        awaitBrokers(List.of(node));
        LOG.info("Restarted broker {} in {} ms", index, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startStart));
    }

    /**
     * Creates the registry's topics that do not exist yet ({@link TopicProvisioner}), replicated
     * {@code min(3, brokers)} times, with {@code min.insync.replicas} 2 on three or more brokers, else 1.
     *
     * @return the names of the topics this call created
     */
    public List<String> createTopics() {
        try (Admin admin = admin()) {
            return TopicProvisioner.ensureTopics(admin, (short) replicationFactor(), minInSyncReplicas());
        }
    }

    /** Stops all brokers, then all controllers; deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        // Every broker before any controller: a controlled shutdown needs a controller quorum to approve it.
        // A failure is logged, not thrown, so that the controllers, ports, lock and data are released anyway.
        try {
            forEachNode(local, node -> node.stopBroker(CONTROLLED_SHUTDOWN_TIMEOUT));
        } catch (final RuntimeException e) {
            LOG.warn("A broker failed to stop cleanly; stopping the controllers anyway", e);
        }
        try {
            forEachNode(local, KafkaNode::stopController);
        } catch (final RuntimeException e) {
            LOG.warn("A controller failed to stop cleanly", e);
        }
        local.forEach(KafkaNode::releasePorts);
        if (dataDirLock != null) {
            Utils.closeQuietly(dataDirLock.channel(), "data directory lock");
            DIRS_IN_USE.remove(lockedDir);
        }
        if (deleteOnClose) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (final IOException e) {
                LOG.warn("Could not delete temporary Kafka data in {}; delete it by hand", dataDir, e);
            }
        }
    }

    int replicationFactor() {
        return Math.min(3, brokers);
    }

    int minInSyncReplicas() {
        return brokers >= 3 ? 2 : 1;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The certificates and passwords of a SASL_SSL cluster, once started; null on a plaintext one. */
    SecurityFiles securityFiles() {
        return securityFiles;
    }

    private Map<String, String> serverProperties(final KafkaNode node) {
        final String voters = nodes.stream()
                .map(voter -> voter.id() + "@" + ReservedListeners.LOOPBACK + ":" + voter.controllerPort())
                .collect(Collectors.joining(","));
        final String clientListener = listener(node.clientListener(), node.clientPort());
        final String controllerListener = listener(KafkaNode.CONTROLLER_LISTENER, node.controllerPort());
        final String minIsr = Integer.toString(minInSyncReplicas());
        final String rf = Integer.toString(replicationFactor());
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(node.id()));
        props.put("controller.quorum.voters", voters);
        props.put("controller.listener.names", KafkaNode.CONTROLLER_LISTENER);
        if (security.isSaslSsl()) {
            props.putAll(securedListeners(node, clientListener, controllerListener));
        } else {
            props.put("inter.broker.listener.name", KafkaNode.PLAINTEXT_LISTENER);
            props.put("listeners", clientListener + "," + controllerListener);
            props.put("advertised.listeners", clientListener);
            props.put("listener.security.protocol.map", KafkaNode.PLAINTEXT_LISTENER + ":PLAINTEXT,"
                    + KafkaNode.CONTROLLER_LISTENER + ":PLAINTEXT");
        }
        props.put("log.dirs", node.logDir().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("default.replication.factor", rf);
        props.put("min.insync.replicas", minIsr);
        props.put("offsets.topic.replication.factor", rf);
        props.put("transaction.state.log.replication.factor", rf);
        props.put("transaction.state.log.min.isr", minIsr);
        props.put("share.coordinator.state.topic.replication.factor", rf);
        props.put("share.coordinator.state.topic.min.isr", minIsr);
        // Fail a start that cannot finish (no controller quorum, say) instead of waiting forever.
        props.put("server.max.startup.time.ms", Long.toString(readyTimeout().toMillis()));
        // A dev box or a test has no stragglers to wait for before the first rebalance.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(brokerProperties);
        return props;
    }

    /**
     * Clients on SASL_SSL with SCRAM-SHA-512; brokers to brokers and to controllers on SSL with client
     * certificates, as the broker certificate's principal, a super user. Every request is authorized by ACLs.
     */
    private Map<String, String> securedListeners(final KafkaNode node, final String clientListener,
                                                 final String controllerListener) {
        final String internalListener = listener(KafkaNode.INTERNAL_LISTENER, node.internalPort());
        final String client = KafkaNode.CLIENT_LISTENER.toLowerCase(Locale.ROOT);
        final String scram = ClusterAccess.SCRAM_MECHANISM.toLowerCase(Locale.ROOT);
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("listeners", String.join(",", clientListener, internalListener, controllerListener));
        props.put("advertised.listeners", clientListener + "," + internalListener);
        props.put("listener.security.protocol.map", KafkaNode.CLIENT_LISTENER + ":SASL_SSL,"
                + KafkaNode.INTERNAL_LISTENER + ":SSL," + KafkaNode.CONTROLLER_LISTENER + ":SSL");
        props.put("inter.broker.listener.name", KafkaNode.INTERNAL_LISTENER);
        props.put("listener.name." + client + ".sasl.enabled.mechanisms", ClusterAccess.SCRAM_MECHANISM);
        props.put("listener.name." + client + "." + scram + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name." + KafkaNode.INTERNAL_LISTENER.toLowerCase(Locale.ROOT) + ".ssl.client.auth",
                "required");
        props.put("listener.name." + KafkaNode.CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".ssl.client.auth",
                "required");
        props.putAll(keyStore());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", SecurityFiles.BROKER_PRINCIPAL + ";User:" + AccessPolicy.ADMIN);
        return props;
    }

    /** Server-side and mutual-TLS client-side key and trust stores: the broker certificate and the CA. */
    private Map<String, String> keyStore() {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, securityFiles.keystore().toString());
        props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, securityFiles.storePassword());
        props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, securityFiles.storePassword());
        props.putAll(securityFiles.trustStore());
        return props;
    }

    /**
     * The super user's SCRAM credential, written into a secured node's bootstrap metadata when it is formatted, so
     * that a super user can log in over the client listener from the first start: what {@link KafkaNodeProcesses}
     * needs to apply the policy to nodes in other processes.
     */
    private Map<String, String> bootstrapUsers() {
        return security.isSaslSsl()
                ? Map.of(AccessPolicy.ADMIN, securityFiles.passwords().get(AccessPolicy.ADMIN))
                : Map.of();
    }

    private boolean wholeCluster() {
        return local.size() == nodes.size();
    }

    /** Applies the access policy as the brokers' own principal over the internal listener. */
    private void secure() {
        try (Admin admin = admin()) {
            ClusterLockdown.apply(admin, security, securityFiles, nodes.stream()
                    .map(node -> ReservedListeners.LOOPBACK + ":" + node.clientPort()).toList());
        }
    }

    private static String listener(final String name, final int port) {
        return name + "://" + ReservedListeners.LOOPBACK + ":" + port;
    }

    /**
     * Kafka locks a node's log directory only when its broker starts, after the controller has begun writing the
     * metadata log there: a second cluster on the same directory would corrupt the first one's metadata before
     * failing. This lock, held until close, makes it fail first. Closing any channel to a locked file drops the
     * JVM's lock on it, so a second cluster in this JVM is turned away before it opens the file.
     */
    private void lockDataDir() throws IOException {
        Files.createDirectories(dataDir);
        final Path dir = dataDir.toRealPath().resolve(lockFile);
        if (!DIRS_IN_USE.add(dir)) {
            throw dataDirInUse();
        }
        FileLock lock = null;
        try {
            final FileChannel channel = FileChannel.open(dir, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw dataDirInUse();
            }
        } finally {
            if (lock == null) {
                DIRS_IN_USE.remove(dir);
            }
        }
        lockedDir = dir;
        dataDirLock = lock;
    }

    private IllegalStateException dataDirInUse() {
        return new IllegalStateException(dataDir + " is in use by another embedded Kafka; stop it or use another "
                + "data directory");
    }

    /**
     * The id kept in {@code cluster.properties}, written on first start. Node processes of one cluster
     * ({@link Builder#onlyNode}) find it written by whoever prepared the directory ({@link KafkaNodeProcesses}).
     */
    static synchronized String clusterId(final Path dataDir, final int brokers) throws IOException {
        Files.createDirectories(dataDir);
        final Path file = dataDir.resolve(CLUSTER_FILE);
        final Properties cluster = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                cluster.load(reader);
            }
            final String formattedNodes = cluster.getProperty("nodes");
            if (!Integer.toString(brokers).equals(formattedNodes)) {
                throw new IllegalStateException(dataDir + " holds a cluster of " + formattedNodes + " node(s), not "
                        + brokers + "; start it with brokers(" + formattedNodes + ") or use another data directory");
            }
            return cluster.getProperty("cluster.id");
        }
        cluster.setProperty("cluster.id", Uuid.randomUuid().toString());
        cluster.setProperty("nodes", Integer.toString(brokers));
        try (Writer writer = Files.newBufferedWriter(file)) {
            cluster.store(writer, "borderwatch embedded Kafka: reused on every start of this data directory");
        }
        return cluster.getProperty("cluster.id");
    }

    private KafkaNode startedNode(final int index) {
        if (state != State.STARTED) {
            throw new IllegalStateException("the cluster is " + state.name().toLowerCase());
        }
        if (index < 0 || index >= brokers) {
            throw new IndexOutOfBoundsException("broker " + index + " of a " + brokers + "-broker cluster");
        }
        return nodes.get(index);
    }

    private Duration readyTimeout() {
        return wholeCluster() ? READY_TIMEOUT : NODE_READY_TIMEOUT;
    }

    /** Waits until the brokers' metadata lists every given node as a registered, unfenced broker. */
    private void awaitBrokers(final List<KafkaNode> expected) {
        final Set<Integer> ids = expected.stream().map(KafkaNode::id).collect(Collectors.toSet());
        final long deadline = System.nanoTime() + readyTimeout().toNanos();
        Set<Integer> seen = Set.of();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                            .get(5, TimeUnit.SECONDS).stream().map(Node::id).collect(Collectors.toSet());
                    if (seen.containsAll(ids)) {
                        return;
                    }
                } catch (final ExecutionException | TimeoutException e) {
                    LOG.debug("Cluster not answering yet", e);
                }
                // Registration is already done when startup returns; this only covers metadata propagation.
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for brokers " + ids, e);
        }
        throw new IllegalStateException("brokers " + ids + " not all registered after " + readyTimeout().toSeconds()
                + " s; registered: " + seen);
    }

    /** The launcher's own admin client; on a secured cluster the brokers' principal on the internal listener. */
    private Admin admin() {
        final Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "borderwatch-embedded-kafka");
        if (security.isSaslSsl()) {
            // Only this JVM's nodes: those of other processes picked their internal ports themselves.
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, local.stream()
                    .map(node -> ReservedListeners.LOOPBACK + ":" + node.internalPort())
                    .collect(Collectors.joining(",")));
            props.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            props.putAll(keyStore());
        } else {
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        }
        return Admin.create(props);
    }

    /** Runs {@code action} on every node at once and rethrows the first failure after all have finished. */
    private static void forEachNode(final List<KafkaNode> nodes, final Consumer<KafkaNode> action) {
        final List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (final KafkaNode node : nodes) {
            final CompletableFuture<Void> run = new CompletableFuture<>();
            final Thread thread = new Thread(() -> {
                try {
                    action.accept(node);
                    run.complete(null);
                } catch (final Throwable e) {
                    run.completeExceptionally(e);
                }
            }, "embedded-kafka-node-" + node.id());
            thread.start();
            runs.add(run);
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        } catch (final CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    public static final class Builder {

        private int brokers = 1;
        private Path dataDir;
        private int firstPort;
        private int firstControllerPort;
        private int onlyNode = -1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Security security = Security.plaintext();

        private Builder() {
        }

        /** {@link Security#plaintext()} (default) or {@link Security#saslSsl()}. */
        public Builder security(final Security clientSecurity) {
            this.security = Objects.requireNonNull(clientSecurity, "security");
            return this;
        }

        /** 1 (the default) or 3; each broker is also a controller. */
        public Builder brokers(final int n) {
            if (n < 1) {
                throw new IllegalArgumentException("brokers must be at least 1, was " + n);
            }
            this.brokers = n;
            return this;
        }

        /** Kept on close and reused on the next start; default: a temporary directory deleted on close. */
        public Builder dataDir(final Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** The client port of broker 0; broker i listens on {@code firstPort + i}; 0 (default) picks free ports. */
        public Builder port(final int firstPort) {
            if (firstPort < 0 || firstPort > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + firstPort);
            }
            this.firstPort = firstPort;
            return this;
        }

        /** The controller port of node 0; node i listens on {@code port + i}; 0 (default) picks free ports. */
        public Builder controllerPort(final int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("controller port must be 0 (any free port) or 1-65535, was "
                        + port);
            }
            this.firstControllerPort = port;
            return this;
        }

        /**
         * Runs only node {@code index} of the cluster in this JVM; other processes run the other nodes on the same
         * data directory, with the same node count and fixed ports ({@link #port}, {@link #controllerPort}), so that
         * one node can be killed for real (SIGKILL) without taking the others along. SASL_SSL: the node uses the
         * data directory's security files as they are (made once for the cluster before its nodes start) and
         * applies no access policy (done once, when all nodes run): {@link KafkaNodeProcesses} does both.
         */
        public Builder onlyNode(final int index) {
            this.onlyNode = index;
            return this;
        }

        /** An extra server property for every node; it wins over the launcher's own settings. */
        public Builder brokerProperty(final String key, final String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public EmbeddedKafkaCluster build() {
            if (firstPort != 0 && firstPort + brokers - 1 > 65535) {
                throw new IllegalArgumentException(brokers + " brokers from port " + firstPort + " run past 65535");
            }
            if (onlyNode >= 0 && (onlyNode >= brokers || firstPort == 0 || firstControllerPort == 0)) {
                throw new IllegalArgumentException("one node of " + brokers + " (" + onlyNode + ") runs on fixed"
                        + " client and controller ports");
            }
            try {
                return new EmbeddedKafkaCluster(this);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create a temporary Kafka data directory", e);
            }
        }
    }
}
