package org.borderwatch.alert.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * {@code secret-check-timeout} it is logged and readiness stays DOWN instead), then rewrites encrypted any record
 * that still holds secrets in clear (written before they were encrypted).
 */
@Context
public final class SubscriptionStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStore.class);

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final TopicMirror<Subscription> mirror;
    private final AcknowledgedWriter writer;
    private final SubscriptionSecrets secrets;
    private final CompletableFuture<Optional<String>> keyCheck = new CompletableFuture<>();
    private volatile String keyProblem;
    private volatile boolean closed;

    public SubscriptionStore(final KafkaClients kafka, final AcknowledgedWriter writer, final SubscriptionSecrets secrets,
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
        final Thread check = new Thread(this::checkKeysAndEncrypt, "subscription-secrets-check");
        check.setDaemon(true);
        check.start();
        final Optional<String> missing;
        try {
            missing = keyCheck.get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            LOG.warn("border.subscriptions.v1 not read within {}: the check of webhook secret keys runs when it is",
                    checkTimeout);
            return;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (final ExecutionException e) {
            return;
        }
        if (missing.isPresent()) {
            mirror.close();
            throw new SecretKeyRing.KeyException(missing.get());
        }
    }

    /** Once the topic is read: the key check, then every record that holds secrets in clear rewritten encrypted. */
    private void checkKeysAndEncrypt() {
        while (!mirror.awaitCaughtUp(Duration.ofSeconds(5))) {
            if (closed) {
                keyCheck.complete(Optional.empty());
                return;
            }
        }
        final Map<String, List<String>> byKey = new TreeMap<>();
        subscriptions.values().forEach(subscription -> SubscriptionSecrets.keyIds(subscription).forEach(id ->
                byKey.computeIfAbsent(id, k -> new ArrayList<>()).add(subscription.getSubscriptionId())));
        final List<String> missing = secrets.keys().missing(byKey.keySet());
        if (!missing.isEmpty()) {
            final String problem = "webhook secrets in border.subscriptions.v1 are encrypted with key(s) "
                    + missing.stream().map(id -> "'" + id + "' (" + byKey.get(id).size() + " subscriptions, e.g. "
                            + byKey.get(id).get(0) + ")").toList()
                    + " that " + SubscriptionSecrets.KEYS_PROPERTY + " (" + SecretKeyRing.ENV + ") no longer lists;"
                    + " it lists " + secrets.keys().ids() + ". Add the missing key(s) back after the active one:"
                    + " they keep decrypting until every secret is encrypted with the new key.";
            keyProblem = problem;
            LOG.error("{} Webhooks of those subscriptions cannot be signed; readiness stays DOWN.", problem);
            keyCheck.complete(Optional.of(problem));
            return;
        }
        keyCheck.complete(Optional.empty());
        for (final Subscription subscription : subscriptions.values()) {
            final String id = subscription.getSubscriptionId();
            // Skipped when an API write replaced it meanwhile (that write was encrypted already).
            if (!subscription.getSecrets().isEmpty() && subscriptions.get(id) == subscription) {
                try {
                    save(id, subscription, Duration.ofSeconds(30));
                    LOG.info("Subscription {}: its webhook secrets, written in clear by an older version, are now"
                            + " encrypted with key '{}'", id, secrets.keys().activeId());
                } catch (final RuntimeException e) {
                    LOG.warn("Subscription {}: could not rewrite its clear webhook secrets encrypted ({}); the next"
                            + " start tries again", id, e.toString());
                }
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
        return mirror.awaitPosition(written.partition(), written.offset(), timeout);
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
        closed = true;
        mirror.close();
    }
}
