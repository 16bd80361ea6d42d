package org.borderwatch.kafka.access;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.acl.AclBinding;
import org.borderwatch.schemas.TopicProvisioner;

/**
 * The deployment's one-shot job: creates the registry's topics, the SCRAM users and the ACLs of
 * {@link AccessPolicy#BORDERWATCH} on a running cluster, then exits. Idempotent; run it after every change of the
 * policy or a password.
 *
 * <p>Configuration comes from the environment, as for the services: {@code KAFKA_<NAME>} is the admin client's
 * {@code <name>} ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SSL_KEYSTORE_LOCATION},
 * …; the connection of a super user), and {@code BORDERWATCH_KAFKA_PASSWORD_<USER>} is the SCRAM password of each
 * user ({@code ADMIN}, {@code INGEST}, {@code AGGREGATOR}, {@code ALERT}, {@code ENGINEER}), at least
 * {@value #MIN_PASSWORD_LENGTH} characters. {@code --print} prints the ACLs and changes nothing.
 *
 * <p>Exit codes: 0 done, 1 the cluster refused or did not answer, 2 bad command line or environment.
 */
public final class ClusterSetup {

    static final int MIN_PASSWORD_LENGTH = 16;
    static final String PASSWORD_PREFIX = "BORDERWATCH_KAFKA_PASSWORD_";

    private static final String USAGE = """
            usage: ClusterSetup [--replication-factor N] [--min-insync-replicas N] [--wait SECONDS] [--print]
              --replication-factor N   of the topics it creates (default 3)
              --min-insync-replicas N  of the topics it creates (default 2)
              --wait SECONDS           how long to wait for the brokers to answer (default 120)
              --print                  print the access policy's ACLs and exit
            environment: KAFKA_<NAME> (admin client settings), BORDERWATCH_KAFKA_PASSWORD_<USER> (SCRAM passwords)""";

    private ClusterSetup() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(final String[] args, final Map<String, String> env, final PrintStream out,
                   final PrintStream err) {
        final Options options;
        final Map<String, String> passwords;
        try {
            options = Options.parse(args);
            if (options.print) {
                for (final AclBinding binding : AccessPolicy.BORDERWATCH.aclBindings()) {
                    out.println(binding.entry().principal() + " " + binding.entry().operation() + " "
                            + binding.pattern().resourceType() + " " + binding.pattern().patternType() + " "
                            + binding.pattern().name());
                }
                return 0;
            }
            passwords = passwords(env);
        } catch (final IllegalArgumentException e) {
            err.println("borderwatch-kafka-setup: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        final Map<String, Object> adminConfig = adminConfig(env);
        try (Admin admin = Admin.create(adminConfig)) {
            final int brokers = awaitBrokers(admin, options.waitFor);
            if (brokers < options.replicationFactor) {
                err.println("borderwatch-kafka-setup: " + brokers + " broker(s) answer, fewer than the replication "
                        + "factor " + options.replicationFactor);
                return 1;
            }
            final List<String> created = TopicProvisioner.ensureTopics(admin, (short) options.replicationFactor,
                    options.minInSyncReplicas);
            out.println("Topics created: " + (created.isEmpty() ? "none (all exist)" : created));
            ClusterAccess.apply(admin, AccessPolicy.BORDERWATCH, passwords);
            out.println("SCRAM users " + passwords.keySet() + " and " + AccessPolicy.BORDERWATCH.aclBindings().size()
                    + " ACLs applied");
            return 0;
        } catch (final RuntimeException e) {
            err.println("borderwatch-kafka-setup: " + e.getMessage());
            return 1;
        }
    }

    /** {@code KAFKA_SSL_KEYSTORE_LOCATION} → {@code ssl.keystore.location}, for every name the admin client knows. */
    static Map<String, Object> adminConfig(final Map<String, String> env) {
        final Map<String, Object> config = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_")) {
                final String key = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (AdminClientConfig.configNames().contains(key)) {
                    config.put(key, value);
                }
            }
        });
        config.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "borderwatch-kafka-setup");
        return config;
    }

    private static Map<String, String> passwords(final Map<String, String> env) {
        final List<String> users = new ArrayList<>();
        users.add(AccessPolicy.ADMIN);
        users.addAll(AccessPolicy.BORDERWATCH.names());
        final Map<String, String> passwords = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        for (final String user : users) {
            final String variable = PASSWORD_PREFIX + user.toUpperCase(Locale.ROOT);
            final String password = env.get(variable);
            if (password == null || password.isBlank()) {
                problems.add(variable + " is not set");
            } else if (password.length() < MIN_PASSWORD_LENGTH) {
                problems.add(variable + " is shorter than " + MIN_PASSWORD_LENGTH + " characters");
            } else if (password.contains("\"") || password.contains("\\")) {
                problems.add(variable + " contains a quote or backslash (it goes into a JAAS line)");
            } else {
                passwords.put(user, password);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return passwords;
    }

    /** Retries describeCluster until the brokers answer: the job may start before they do. */
    private static int awaitBrokers(final Admin admin, final Duration waitFor) {
        final long deadline = System.nanoTime() + waitFor.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                        .get(6, TimeUnit.SECONDS).size();
            } catch (final ExecutionException | TimeoutException e) {
                last = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the brokers", e);
            }
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the brokers", e);
            }
        }
        final Throwable cause = last instanceof ExecutionException ? last.getCause() : last;
        throw new IllegalStateException("the brokers did not answer within " + waitFor.toSeconds() + " s: "
                + (cause == null ? "no attempt" : cause.getMessage()), cause);
    }

    private static final class Options {
        private int replicationFactor = 3;
        private int minInSyncReplicas = 2;
        private Duration waitFor = Duration.ofSeconds(120);
        private boolean print;

        static Options parse(final String[] args) {
            final Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--replication-factor" -> options.replicationFactor = number(args, ++i, 1, 32767);
                    case "--min-insync-replicas" -> options.minInSyncReplicas = number(args, ++i, 1, 32767);
                    case "--wait" -> options.waitFor = Duration.ofSeconds(number(args, ++i, 1, 3600));
                    case "--print" -> options.print = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (options.minInSyncReplicas > options.replicationFactor) {
                throw new IllegalArgumentException("--min-insync-replicas " + options.minInSyncReplicas
                        + " exceeds --replication-factor " + options.replicationFactor);
            }
            return options;
        }

        private static int number(final String[] args, final int i, final int min, final int max) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            try {
                final int n = Integer.parseInt(args[i]);
                if (n < min || n > max) {
                    throw new IllegalArgumentException(args[i - 1] + " must be between " + min + " and " + max);
                }
                return n;
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException(args[i - 1] + " must be a number, was " + args[i], e);
            }
        }
    }
}
