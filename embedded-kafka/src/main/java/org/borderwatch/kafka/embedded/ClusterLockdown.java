package org.borderwatch.kafka.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.borderwatch.kafka.access.ClusterAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of starting a SASL_SSL cluster, once per cluster after its brokers run: applies the access policy
 * (ACLs, then SCRAM users) as a super user, waits until every broker accepts the users, and writes each user's
 * client configuration file. {@link EmbeddedKafkaCluster} runs it as the brokers' own principal on the internal
 * listener; {@link KafkaNodeProcesses}, whose nodes are other processes, as the SCRAM super user
 * {@link org.borderwatch.kafka.access.AccessPolicy#ADMIN}, whom every node's storage was formatted with.
 */
final class ClusterLockdown {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLockdown.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private ClusterLockdown() {
    }

    /**
     * @param superUser an admin client of a super user
     * @param brokers   {@code host:port} of every broker's client (SASL_SSL) listener
     */
    static void apply(final Admin superUser, final Security security, final SecurityFiles files,
                      final List<String> brokers) {
        ClusterAccess.apply(superUser, security.accessPolicy(), files.passwords());
        // All users are upserted in one atomic metadata batch after the ACLs, so a broker that accepts one of them
        // knows them all and enforces the policy. Not the super user: it may be known from the format already.
        final String probe = List.copyOf(security.users()).get(security.users().size() - 1);
        for (final String broker : brokers) {
            awaitLogin(files.clientProperties(broker, probe), broker, probe);
        }
        final String bootstrap = String.join(",", brokers);
        for (final String user : security.users()) {
            files.writeClientProperties("client-" + user + ".properties", files.clientProperties(bootstrap, user));
        }
    }

    /** Brokers learn SCRAM users from the metadata log a moment after the controller commits them. */
    private static void awaitLogin(final Map<String, Object> client, final String broker, final String user) {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "borderwatch-embedded-kafka-scram-check");
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).clusterId()
                            .get(5, TimeUnit.SECONDS);
                    return;
                } catch (final ExecutionException | TimeoutException e) {
                    last = e;
                    LOG.debug("Broker {} does not accept SCRAM user {} yet", broker, user, e);
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for broker " + broker, e);
        }
        throw new IllegalStateException("broker " + broker + " does not accept SCRAM user " + user + " after "
                + READY_TIMEOUT.toSeconds() + " s: " + last);
    }
}
