package org.borderwatch.kafka.embedded;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.borderwatch.kafka.access.AccessPolicy;

/**
 * How an embedded cluster's clients connect: {@link #plaintext()} (the default; a dev box or a plain test), or
 * {@link #saslSsl()}: clients over SASL_SSL with SCRAM-SHA-512, every request authorized by Kafka's
 * {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, SCRAM users and ACLs from an
 * {@link AccessPolicy}. Brokers and controllers talk over mutual TLS on their own listeners, with the broker
 * certificate's principal as super user; {@link AccessPolicy#ADMIN} is a super user for clients.
 *
 * <pre>{@code
 * EmbeddedKafkaCluster.builder().brokers(3).security(Security.saslSsl()).build().start();
 * }</pre>
 */
public final class Security {

    private final boolean saslSsl;
    private final AccessPolicy policy;
    private final List<String> extraUsers;

    private Security(final boolean saslSsl, final AccessPolicy policy, final List<String> extraUsers) {
        this.saslSsl = saslSsl;
        this.policy = policy;
        this.extraUsers = List.copyOf(extraUsers);
    }

    /** No authentication, no encryption, no authorization. */
    public static Security plaintext() {
        return new Security(false, new AccessPolicy(List.of()), List.of());
    }

    /** SASL_SSL with the borderwatch services' principals and ACLs ({@link AccessPolicy#BORDERWATCH}). */
    public static Security saslSsl() {
        return new Security(true, AccessPolicy.BORDERWATCH, List.of());
    }

    /** The same protocol with another policy, e.g. {@code new AccessPolicy(List.of())}: only the super user. */
    public Security accessPolicy(final AccessPolicy accessPolicy) {
        requireSaslSsl();
        return new Security(true, accessPolicy, extraUsers);
    }

    /** One more SCRAM user, with no ACL: it authenticates, and may do nothing. */
    public Security user(final String name) {
        requireSaslSsl();
        final List<String> users = new ArrayList<>(extraUsers);
        users.add(name);
        return new Security(true, policy, users);
    }

    public boolean isSaslSsl() {
        return saslSsl;
    }

    public AccessPolicy accessPolicy() {
        return policy;
    }

    /** The SCRAM users: the super user, the policy's principals, and the extra ones. */
    Set<String> users() {
        final Set<String> users = new LinkedHashSet<>();
        users.add(AccessPolicy.ADMIN);
        users.addAll(policy.names());
        users.addAll(extraUsers);
        return users;
    }

    private void requireSaslSsl() {
        if (!saslSsl) {
            throw new IllegalStateException("users and ACLs need Security.saslSsl()");
        }
    }
}
