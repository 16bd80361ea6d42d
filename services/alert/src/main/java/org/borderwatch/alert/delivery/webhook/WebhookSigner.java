package org.borderwatch.alert.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one
 * space-separated signature per active secret (two during a rotation). Secrets are {@code whsec_} followed by the
 * base64 of 32 random bytes; the HMAC key is those bytes.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    public static String newSecret() {
        final byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} header value for these secrets. */
    public static String sign(final List<String> secrets, final String id, final long timestampSeconds,
                              final byte[] body) {
        return secrets.stream().map(secret -> "v1," + signature(secret, id, timestampSeconds, body))
                .collect(Collectors.joining(" "));
    }

    static String signature(final String secret, final String id, final long timestampSeconds, final byte[] body) {
        final byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX)
                ? secret.substring(SECRET_PREFIX.length()) : secret);
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must support HmacSHA256", e);
        }
    }
}
