package org.borderwatch.alert.subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.borderwatch.avro.EncryptedSecret;
import org.borderwatch.avro.Subscription;
import org.borderwatch.credentials.SecretKeyRing;

/**
 * Webhook signing secrets at rest: encrypted with the operator's active key ({@value #KEYS_PROPERTY}, environment
 * {@code BORDERWATCH_SECRET_KEYS}), bound to the subscription id, decrypted only to sign. The service refuses to
 * start without a valid key. A subscription written before secrets were encrypted still has them in clear in
 * {@code secrets}; they are read as they are until {@link SubscriptionStore} rewrites the record encrypted, as it
 * does at start-up with every record whose secrets are not encrypted with the active key (key rotation).
 */
@Singleton
public final class SubscriptionSecrets {

    public static final String KEYS_PROPERTY = "borderwatch.secret-keys";

    private final SecretKeyRing keys;

    public SubscriptionSecrets(@Property(name = KEYS_PROPERTY) @Nullable final String configured) {
        this.keys = SecretKeyRing.parse(configured);
    }

    public SecretKeyRing keys() {
        return keys;
    }

    /** {@code secrets} (newest first) encrypted for the subscription {@code subscriptionId}. */
    public List<EncryptedSecret> seal(final String subscriptionId, final List<String> secrets) {
        return secrets.stream().map(secret -> {
            final SecretKeyRing.Sealed sealed = keys.seal(secret.getBytes(StandardCharsets.UTF_8),
                    associatedData(subscriptionId));
            return new EncryptedSecret(sealed.keyId(), ByteBuffer.wrap(sealed.nonce()),
                    ByteBuffer.wrap(sealed.ciphertext()));
        }).toList();
    }

    /**
     * The subscription's secrets in clear, newest first.
     *
     * @throws SecretKeyRing.KeyException when a secret's key is no longer configured or it does not decrypt
     */
    public List<String> open(final Subscription subscription) {
        if (subscription.getEncryptedSecrets().isEmpty()) {
            return List.copyOf(subscription.getSecrets());
        }
        return subscription.getEncryptedSecrets().stream().map(secret -> new String(keys.open(
                new SecretKeyRing.Sealed(secret.getKeyId(), bytes(secret.getNonce()), bytes(secret.getCiphertext())),
                associatedData(subscription.getSubscriptionId())), StandardCharsets.UTF_8)).toList();
    }

    /**
     * The subscription as it may rest: clear secrets (if any) moved into {@code encryptedSecrets}, and secrets
     * encrypted with a key that is no longer the active one encrypted again with the active key. The same instance
     * when nothing had to change.
     */
    public Subscription encrypted(final Subscription subscription) {
        final boolean clear = !subscription.getSecrets().isEmpty();
        if (!clear && keyIds(subscription).stream().allMatch(keys.activeId()::equals)) {
            return subscription;
        }
        return Subscription.newBuilder(subscription)
                .setEncryptedSecrets(seal(subscription.getSubscriptionId(),
                        clear ? subscription.getSecrets() : open(subscription)))
                .setSecrets(List.of())
                .build();
    }

    /** The ids of the keys the subscription's secrets are encrypted with. */
    public static Set<String> keyIds(final Subscription subscription) {
        final Set<String> ids = new LinkedHashSet<>();
        subscription.getEncryptedSecrets().forEach(secret -> ids.add(secret.getKeyId()));
        return ids;
    }

    private static byte[] associatedData(final String subscriptionId) {
        return subscriptionId.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final ByteBuffer copy = buffer.duplicate();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
