package io.bitvision.operators.security;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the job prints, logs or shows in Flink's web UI goes through here, so that secrets do not: values of
 * settings whose key looks secret ({@link #isSecretKey}), credentials in URLs ({@code rtsp://user:pass@camera}) and
 * secret-looking query parameters ({@code ?pwd=...}). The real values stay where the Kafka clients and FFmpeg need
 * them; only their printed forms change.
 */
public final class Redaction {
    /** What a secret is replaced with (the same as Flink's {@code GlobalConfiguration.HIDDEN_CONTENT}). */
    public static final String HIDDEN = "******";

    /**
     * Substrings of keys whose values are secret: Kafka's password settings ({@code ssl.keystore.password},
     * {@code ssl.key.password}, {@code ssl.truststore.password}), {@code sasl.jaas.config} (holds passwords),
     * {@code sasl.oauthbearer.*secret*}, a PEM key in {@code ssl.keystore.key}, Schema Registry's
     * {@code basic.auth.user.info}, and what Flink itself hides (password, secret, token, apikey, ...).
     */
    private static final String[] SECRET_KEY_PARTS = {
            "password", "passwd", "pwd", "secret", "jaas", "credential", "token", "apikey", "api-key", "api.key",
            "api_key", "user.info", "userinfo", "auth-params", "basic-auth", "service-key", "account.key",
            "private", "ssl.keystore.key", "http-headers", "signature"};

    /** scheme://userinfo@ : everything between the scheme and the last '@' before the path (a raw '@' included). */
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)([^/?#\\s'\"]+)@");
    /** ?key=value or &key=value where the key looks secret. */
    private static final Pattern SECRET_QUERY =
            Pattern.compile("([?&;]([^=&;#\\s'\"]+)=)([^&;#\\s'\"]*)");

    private Redaction() {}

    /** Whether a setting named {@code key} holds a secret (case-insensitive substring match). */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value}, or {@link #HIDDEN} when the key looks secret; other values with URL credentials removed. */
    public static String value(String key, String value) {
        if (value == null) {
            return null;
        }
        return isSecretKey(key) ? HIDDEN : text(value);
    }

    /** The settings sorted by key, secret values {@linkplain #value hidden}: safe to print or show. */
    public static Map<String, String> map(Properties properties) {
        Map<String, String> out = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            out.put(key, value(key, properties.getProperty(key)));
        }
        return out;
    }

    /** The settings sorted by key, secret values {@linkplain #value hidden}: safe to print or show. */
    public static Map<String, String> map(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, value(k, v)));
        return out;
    }

    /** {@code {key=value, ...}} with secret values hidden; for logs and toString. */
    public static String toString(Properties properties) {
        return map(properties).toString();
    }

    /**
     * Free text (a URL, an FFmpeg error message that quotes one) with credentials in URLs and secret-looking query
     * parameters replaced by {@link #HIDDEN}: {@code rtsp://admin:hunter2@cam/1} becomes
     * {@code rtsp://******@cam/1}, {@code http://cam/snap.cgi?user=a&pwd=x} becomes {@code ...&pwd=******}.
     */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = URL_USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + HIDDEN + "@"));
        if (out.indexOf('=') < 0) {
            return out;
        }
        Matcher m = SECRET_QUERY.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = isSecretKey(m.group(2)) ? m.group(1) + HIDDEN : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
