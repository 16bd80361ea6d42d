package org.borderwatch.kafka.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the development Kafka cluster until SIGTERM or SIGINT.
 *
 * <pre>
 * java -cp "embedded-kafka/target/borderwatch-embedded-kafka-0.1.0-SNAPSHOT.jar:embedded-kafka/target/lib/*" \
 *     org.borderwatch.kafka.embedded.EmbeddedKafkaMain [--data-dir DIR] [--port N] [--brokers N] [--no-topics] [--sasl-ssl]
 *     [--node I --controller-port N]
 * </pre>
 *
 * With {@code --node I} the process runs only node I of the cluster (see {@link KafkaNodeProcesses}, which starts
 * one such process per node so that a broker can be SIGKILLed for real); it creates no topics, and with
 * {@code --sasl-ssl} it uses the data directory's security files as they are and applies no access policy: the
 * process that starts the nodes makes the one and applies the other, once for the cluster.
 *
 * Prints exactly one line to stdout, {@code borderwatch-kafka READY bootstrap=<servers>}, once the brokers are
 * ready and the topics exist; scripts wait for it. Exit code 1 if the cluster cannot start (a port in use, say),
 * 2 on a bad command line.
 */
public final class EmbeddedKafkaMain {

    static final String READY = "borderwatch-kafka READY bootstrap=";

    private static final String USAGE = """
            usage: EmbeddedKafkaMain [--data-dir DIR] [--port N] [--brokers N] [--no-topics] [--sasl-ssl]
                                     [--node I --controller-port N]
              --data-dir DIR  where the cluster keeps its data, reused across runs (default .borderwatch/kafka)
              --port N        client port of broker 0; broker i listens on N+i; 0 picks free ports (default 9092)
              --brokers N     1 or 3 nodes, each broker and controller (default 1)
              --no-topics     do not create the borderwatch topics
              --sasl-ssl      clients over SASL_SSL (SCRAM-SHA-512) with the borderwatch users and ACLs; their
                              client settings are written to DIR/security/client-<user>.properties
              --node I        run only node I (0-based) of the --brokers nodes; the other nodes run in other
                              processes on the same data directory; needs fixed ports; no topics; with
                              --sasl-ssl, DIR/security must exist and nobody here applies users or ACLs
              --controller-port N  controller port of node 0; node i listens on N+i (default: free ports)""";

    private EmbeddedKafkaMain() {
    }

    public static void main(final String[] args) {
        // Before the first logger exists. A resource of its own, not logback.xml, so that modules depending on
        // this jar keep their own logging configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "org/borderwatch/kafka/embedded/logback-main.xml");
        }
        final Options options;
        try {
            options = Options.parse(args);
        } catch (final IllegalArgumentException e) {
            System.err.println("borderwatch-kafka: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }

        final EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder()
                .brokers(options.brokers)
                .port(options.port)
                .controllerPort(options.controllerPort)
                .dataDir(options.dataDir)
                .security(options.saslSsl ? Security.saslSsl() : Security.plaintext());
        if (options.node >= 0) {
            builder.onlyNode(options.node);
        }
        final EmbeddedKafkaCluster cluster;
        try {
            cluster = builder.build();
        } catch (final IllegalArgumentException e) {
            System.err.println("borderwatch-kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "borderwatch-kafka-shutdown"));
        try {
            cluster.start();
            if (options.createTopics && options.node < 0) {
                cluster.createTopics();
            }
        } catch (final RuntimeException e) {
            System.err.println("borderwatch-kafka: cannot start Kafka: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.saslSsl && options.node < 0) {
            System.err.println("borderwatch-kafka: SASL_SSL; client settings for " + cluster.users() + " in "
                    + options.dataDir.resolve(SecurityFiles.DIR).resolve("client-<user>.properties"));
        }
        System.out.println(READY + cluster.bootstrapServers());
        System.out.flush();
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Options {
        private Path dataDir = Path.of(".borderwatch", "kafka");
        private int port = 9092;
        private int brokers = 1;
        private int node = -1;
        private int controllerPort;
        private boolean createTopics = true;
        private boolean saslSsl;
        private boolean help;

        static Options parse(final String[] args) {
            final Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> options.dataDir = Path.of(value(args, ++i, "--data-dir"));
                    case "--port" -> options.port = number(args, ++i, "--port", 0, 65535);
                    case "--brokers" -> options.brokers = number(args, ++i, "--brokers", 1, 9);
                    case "--node" -> options.node = number(args, ++i, "--node", 0, 8);
                    case "--controller-port" -> options.controllerPort = number(args, ++i, "--controller-port", 0,
                            65535);
                    case "--no-topics" -> options.createTopics = false;
                    case "--sasl-ssl" -> options.saslSsl = true;
                    case "--help", "-h" -> options.help = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return options;
        }

        private static String value(final String[] args, final int i, final String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int number(final String[] args, final int i, final String option, final int min,
                                  final int max) {
            final String value = value(args, i, option);
            try {
                final int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max
                            + ", was " + n);
                }
                return n;
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, was " + value, e);
            }
        }
    }
}
