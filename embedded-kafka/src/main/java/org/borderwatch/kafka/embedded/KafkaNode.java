package org.borderwatch.kafka.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import kafka.server.StandardFaultHandlerFactory;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.borderwatch.kafka.access.ClusterAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import scala.Tuple2;

/**
 * One KRaft node in combined mode (broker and controller in one {@link SharedServer}), wired the way
 * {@code kafka.server.KafkaRaftServer} wires it, except that the broker and the controller halves can be stopped
 * separately: a cluster stops every broker before any controller, so that the last broker's controlled shutdown
 * still has a controller quorum to approve it.
 */
final class KafkaNode {

    /** The clients' and brokers' listener of a plaintext cluster. */
    static final String PLAINTEXT_LISTENER = "PLAINTEXT";
    /** The clients' listener of a secured cluster (SASL_SSL). */
    static final String CLIENT_LISTENER = "CLIENT";
    /** The brokers' listener of a secured cluster (SSL with client certificates); also the launcher's admin. */
    static final String INTERNAL_LISTENER = "INTERNAL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String META_PROPERTIES = "meta.properties";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    private final int id;
    private final Path logDir;
    private final ReservedListeners listeners = new ReservedListeners();
    private String clientListener = PLAINTEXT_LISTENER;
    private KafkaConfig config;
    private ControllerServer controller;
    private BrokerServer broker;

    KafkaNode(final int id, final Path logDir) {
        this.id = id;
        this.logDir = logDir;
    }

    int id() {
        return id;
    }

    Path logDir() {
        return logDir;
    }

    /**
     * Binds the node's client and controller ports ({@code 0}: any free port), and a free port for the internal
     * listener when secured, on 127.0.0.1.
     */
    void reservePorts(final int clientPort, final int controllerPort, final boolean secured) {
        clientListener = secured ? CLIENT_LISTENER : PLAINTEXT_LISTENER;
        listeners.reserve(clientListener, clientPort);
        if (secured) {
            listeners.reserve(INTERNAL_LISTENER, 0);
        }
        listeners.reserve(CONTROLLER_LISTENER, controllerPort);
    }

    /** A node another process runs (plaintext): its ports are known, nothing is bound here. */
    void assumePorts(final int clientPort, final int controllerPort) {
        listeners.assume(clientListener, clientPort);
        listeners.assume(CONTROLLER_LISTENER, controllerPort);
    }

    String clientListener() {
        return clientListener;
    }

    int clientPort() {
        return listeners.port(clientListener);
    }

    int internalPort() {
        return listeners.port(INTERNAL_LISTENER);
    }

    int controllerPort() {
        return listeners.port(CONTROLLER_LISTENER);
    }

    /** Validates and keeps the server properties; every later start of this node uses them. */
    void configure(final Map<String, String> serverProperties) {
        config = new KafkaConfig(serverProperties, false);
    }

    boolean isFormatted() {
        return Files.exists(logDir.resolve(META_PROPERTIES));
    }

    /**
     * Writes {@code meta.properties} and the bootstrap metadata, as {@code kafka-storage.sh format} does, with
     * {@code scramUsers} (name to password) as SCRAM-SHA-512 credentials in the bootstrap metadata, as
     * {@code --add-scram} does: the cluster knows them from its first start.
     */
    void format(final String clusterId, final Map<String, String> scramUsers) throws Exception {
        Files.createDirectories(logDir);
        // Passwords are base64url here (ClusterAccess.jaasConfig checks the rest): no ',' or ']' to escape.
        final List<String> scram = scramUsers.entrySet().stream()
                .map(user -> ClusterAccess.SCRAM_MECHANISM + "=[name=" + user.getKey() + ",iterations="
                        + ClusterAccess.SCRAM.iterations() + ",password=" + user.getValue() + "]")
                .toList();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                // Static voters (controller.quorum.voters), as without --standalone / --initial-controllers.
                .setHasDynamicQuorum(false)
                .setScramArguments(scram)
                .run();
    }

    synchronized boolean isRunning() {
        return broker != null || controller != null;
    }

    /** Starts the controller, then the broker; returns once the controller has unfenced the broker. */
    void start() {
        final ControllerServer startingController;
        final BrokerServer startingBroker;
        synchronized (this) {
            if (isRunning()) {
                throw new IllegalStateException("node " + id + " is already running");
            }
            final Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> dirs = KafkaRaftServer.initializeLogDirs(config,
                    LOG, "[node " + id + "] ");
            final MetaPropertiesEnsemble ensemble = dirs._1();
            final SharedServer shared = new SharedServer(config, ensemble, Time.SYSTEM,
                    Server.initializeMetrics(config, Time.SYSTEM, ensemble.clusterId().orElseThrow()),
                    CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(
                            config.quorumConfig().voters())),
                    QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                    new StandardFaultHandlerFactory(), listeners);
            startingController = new ControllerServer(shared, KafkaRaftServer.configSchema(), dirs._2());
            startingBroker = new BrokerServer(shared);
            controller = startingController;
            broker = startingBroker;
        }
        // Outside the lock: on three nodes a broker waits for the others' controllers to form a quorum.
        try {
            startingController.startup();
            startingBroker.startup();
        } catch (final RuntimeException e) {
            stopBroker(Duration.ZERO);
            stopController();
            throw e;
        }
    }

    /** Controlled shutdown: the controllers move this broker's leaderships away before it stops. */
    void stopBroker(final Duration controlledShutdownTimeout) {
        final BrokerServer stopping;
        synchronized (this) {
            stopping = broker;
            broker = null;
        }
        if (stopping != null) {
            stopping.shutdown(controlledShutdownTimeout);
            stopping.awaitShutdown();
        }
    }

    void stopController() {
        final ControllerServer stopping;
        synchronized (this) {
            stopping = controller;
            controller = null;
        }
        if (stopping != null) {
            stopping.shutdown();
            stopping.awaitShutdown();
        }
    }

    /** Frees the reserved ports that no socket server took over (a node that never started). */
    void releasePorts() {
        listeners.releaseUnclaimed();
    }
}
