package org.borderwatch.alert.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every subscription, read from the compacted {@code border.subscriptions.v1} (so a restart loses none).
 *
 * <p>Once it has read the topic at start-up it checks that every webhook secret's key is still configured (a key
 * removed while in use is a start-up error naming the key id; when Kafka answers later than
 * {@code secret-check-timeout} it is logged and readiness stays DOWN instead), then rewrites every record whose
 * secrets are in clear (written before they were encrypted) or encrypted with a key that is no longer the active
 * one. Only records this instance still holds unchanged are rewritten, so an edit it has seen is kept; an edit made
 * on another instance in the same milliseconds can be overwritten (start instances one at a time).
 */
@Context
public final class SubscriptionStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStore.class);

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final TopicMirror<Subscription> mirror;
    private final AcknowledgedWriter writer;
    private final SubscriptionSecrets secrets;
    private final CountDownLatch checked = new CountDownLatch(1);
    private volatile String keyProblem;

    public SubscriptionStore(final KafkaClients kafka, final AcknowledgedWriter writer,
                             final SubscriptionSecrets secrets,
                             @Value("${borderwatch.alert.secret-check-timeout:30s}") final Duration checkTimeout) {
        this.writer = writer;
        this.secrets = secrets;
        this.mirror = new TopicMirror<>(Topics.SUBSCRIPTIONS, kafka, (record, subscription) -> {
            if (subscription == null) {
                subscriptions.remove(record.key());
            } else {
                subscriptions.put(record.key(), subscription);
            }
        }).start();
        // On a thread of its own: the re-encryption waits for its writes, which the mirror's thread must read.
        mirror.caughtUp().thenRunAsync(this::checkKeysAndEncrypt, task -> {
            final Thread thread = new Thread(task, "subscription-secrets-check");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            if (!checked.await(checkTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("border.subscriptions.v1 not read within {}: the check of webhook secret keys runs when it"
                        + " is", checkTimeout);
            } else if (keyProblem != null) {
                close();
                throw new SecretKeyRing.KeyException(keyProblem);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once the topic is read: every secret must decrypt; then each record not under the active key is rewritten. */
    private void checkKeysAndEncrypt() {
        // Every stored secret must decrypt: its key listed, and the key under that id the one that encrypted it.
        final Map<String, List<String>> failing = new TreeMap<>();
        for (final Subscription subscription : subscriptions.values()) {
            try {
                secrets.open(subscription);
            } catch (final SecretKeyRing.KeyException e) {
                SubscriptionSecrets.keyIds(subscription).forEach(id ->
                        failing.computeIfAbsent(id, k -> new ArrayList<>()).add(subscription.getSubscriptionId()));
            }
        }
        if (!failing.isEmpty()) {
            final String problem = "webhook secrets in border.subscriptions.v1 cannot be decrypted: "
                    + failing.entrySet().stream().map(entry -> "key '" + entry.getKey() + "' "
                            + (secrets.keys().has(entry.getKey()) ? "is listed but is not the key that encrypted"
                                    : "is no longer listed")
                            + " (" + entry.getValue().size() + " subscription(s), e.g. " + entry.getValue().get(0)
                            + ")").toList()
                    + "; " + SubscriptionSecrets.KEYS_PROPERTY + " (" + SecretKeyRing.ENV + ") lists "
                    + secrets.keys().ids() + ". Add the key(s) that encrypted them back after the active one: they"
                    + " keep decrypting until every secret is encrypted with the active key.";
            keyProblem = problem;
            LOG.error("{} Webhooks of those subscriptions cannot be signed; readiness stays DOWN.", problem);
            checked.countDown();
            return;
        }
        checked.countDown();
        for (final Subscription subscription : subscriptions.values()) {
            final String id = subscription.getSubscriptionId();
            try {
                // Skipped when an API write replaced it meanwhile (that write was encrypted with the active key).
                if (secrets.encrypted(subscription) != subscription && subscriptions.get(id) == subscription) {
                    save(id, subscription, Duration.ofSeconds(30));
                    LOG.info("Subscription {}: webhook secrets {} now encrypted with the active key '{}'", id,
                            subscription.getSecrets().isEmpty() ? "of keys " + SubscriptionSecrets.keyIds(subscription)
                                    : "written in clear by an older version", secrets.keys().activeId());
                }
            } catch (final RuntimeException e) {
                LOG.warn("Subscription {}: could not encrypt its webhook secrets with the active key ({}); the next"
                        + " start tries again", id, e.getMessage());
            }
        }
    }

    /**
     * Whether {@code alert} is for this subscription: within the owner's regions (always), then its own filter.
     * Disabled subscriptions match nothing.
     */
    public static boolean matches(final Subscription subscription, final Alert alert) {
        return subscription.getEnabled()
                && RegionPatterns.matchesAny(subscription.getOwnerRegions(), alert.getRegion())
                && (subscription.getRegions().isEmpty()
                        || RegionPatterns.matchesAny(subscription.getRegions(), alert.getRegion()))
                && (subscription.getThreatTypes().isEmpty()
                        || subscription.getThreatTypes().contains(alert.getThreatType()))
                && alert.getSeverity().ordinal() >= subscription.getMinSeverity().ordinal();
    }

    public Optional<Subscription> find(final String subscriptionId) {
        return Optional.ofNullable(subscriptions.get(subscriptionId));
    }

    public List<Subscription> all() {
        final List<Subscription> all = new ArrayList<>(subscriptions.values());
        all.sort(Comparator.comparing(Subscription::getCreatedAt).thenComparing(Subscription::getSubscriptionId));
        return all;
    }

    public List<Subscription> webhooks() {
        return subscriptions.values().stream()
                .filter(s -> s.getChannel() == SubscriptionChannel.WEBHOOK && s.getEnabled()).toList();
    }

    /**
     * Stores it (null deletes) and waits until this instance sees the write. Secrets in clear in {@code secrets}
     * are encrypted here, so no path writes them to the topic.
     */
    public boolean save(final String subscriptionId, final Subscription subscription, final Duration timeout) {
        final RecordMetadata written = writer.write(Topics.SUBSCRIPTIONS, subscriptionId,
                subscription == null ? null : secrets.encrypted(subscription));
        return mirror.awaitVisible(written, timeout);
    }

    /** Caught up, with every webhook secret's key configured. */
    public boolean isCaughtUp() {
        return mirror.isCaughtUp() && keyProblem == null;
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        return mirror.awaitCaughtUp(timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
