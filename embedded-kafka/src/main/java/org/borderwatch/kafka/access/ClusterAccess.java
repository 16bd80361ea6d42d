package org.borderwatch.kafka.access;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a cluster's SCRAM users and ACLs to what an {@link AccessPolicy} says, through the Admin API of a super
 * user. Idempotent: run it on every start. ACLs of the policy's principals that the policy no longer lists are
 * deleted, so narrowing the policy narrows the cluster. Users are upserted: a changed password takes effect for new
 * connections (a running client keeps its authenticated connections until they close).
 */
public final class ClusterAccess {

    /** SCRAM-SHA-512 with 8192 PBKDF2 iterations (Kafka's minimum is 4096). */
    public static final ScramCredentialInfo SCRAM = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAccess.class);
    private static final long TIMEOUT_SECONDS = 30;

    private ClusterAccess() {
    }

    /**
     * Creates the policy's ACLs, deletes its principals' other ACLs, then upserts the SCRAM users. Users come last:
     * brokers apply metadata in order, so a broker that accepts a user's password already enforces its ACLs.
     *
     * @param passwords SCRAM password by user name: the policy's principals and the super user
     */
    public static void apply(final Admin admin, final AccessPolicy policy, final Map<String, String> passwords) {
        try {
            final Set<AclBinding> wanted = new HashSet<>(policy.aclBindings());
            final Set<String> principals = policy.principals().stream().map(AccessPolicy.Principal::kafkaPrincipal)
                    .collect(Collectors.toSet());
            // One round trip for all ACLs; other principals' ACLs (an operator's own) are left alone.
            final Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final List<AclBindingFilter> stale = existing.stream()
                    .filter(binding -> principals.contains(binding.entry().principal()))
                    .filter(binding -> !wanted.contains(binding))
                    .map(AclBinding::toFilter)
                    .toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("Deleted {} ACLs the access policy no longer grants", stale.size());
            }
            admin.createAcls(wanted).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            final List<UserScramCredentialAlteration> users = passwords.entrySet().stream()
                    .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user.getKey(),
                            SCRAM, user.getValue()))
                    .toList();
            admin.alterUserScramCredentials(users).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // Names only: passwords are never logged.
            LOG.info("Applied {} ACLs for {} and SCRAM users {}", wanted.size(), policy.names(),
                    passwords.keySet().stream().sorted().toList());
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot apply the Kafka access policy: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("cannot apply the Kafka access policy: no answer within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the Kafka access policy", e);
        }
    }

    /** The client JAAS line for a SCRAM user (passwords are base64url in this project, so no quoting issue). */
    public static String jaasConfig(final String user, final String password) {
        if (user.contains("\"") || password.contains("\"") || password.contains("\\")) {
            throw new IllegalArgumentException("SCRAM user names and passwords must not contain quotes or backslashes");
        }
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
