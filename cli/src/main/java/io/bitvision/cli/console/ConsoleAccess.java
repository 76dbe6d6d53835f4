package io.bitvision.cli.console;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may read and write through the console. One secret token: given in a file (then every API call needs it), or,
 * on a loopback-only console without one, made up at start and printed (then reads are open to the machine's own
 * users and writes need it). A request proves it holds the token by {@code Authorization: Bearer T}, by basic auth
 * with T as the password, or by a session cookie from {@code POST /api/session} together with that session's CSRF
 * token in {@code X-CSRF-Token} for writes (the cookie is SameSite=Strict and HttpOnly; another site can neither
 * send the header nor read the token). A loopback console also refuses Host headers that are not loopback names,
 * so a page on another site cannot reach it by DNS rebinding.
 */
final class ConsoleAccess {
    static final String SESSION_COOKIE = "bitvision_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final boolean readsNeedToken;
    private final boolean loopbackOnly;
    /** Session id -> its CSRF token. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    ConsoleAccess(String token, boolean readsNeedToken, boolean loopbackOnly) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the console token must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.readsNeedToken = readsNeedToken;
        this.loopbackOnly = loopbackOnly;
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    boolean readsNeedToken() {
        return readsNeedToken;
    }

    /** False for a loopback console asked for under a name that is not a loopback name. */
    boolean hostAllowed(String hostHeader) {
        if (!loopbackOnly) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return LOOPBACK_HOSTS.contains(host);
    }

    boolean tokenMatches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** A token from an Authorization header (Bearer, or Basic with the token as password), else null. */
    static String tokenFromAuthorization(String header) {
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    boolean canRead(String authorization, String sessionCookie) {
        return !readsNeedToken || tokenMatches(tokenFromAuthorization(authorization)) || sessions.containsKey(orEmpty(sessionCookie));
    }

    boolean canWrite(String authorization, String sessionCookie, String csrfHeader) {
        if (tokenMatches(tokenFromAuthorization(authorization))) {
            return true;
        }
        String csrf = sessionCookie == null ? null : sessions.get(sessionCookie);
        return csrf != null && csrfHeader != null
                && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), csrfHeader.getBytes(StandardCharsets.UTF_8));
    }

    boolean signedIn(String sessionCookie) {
        return sessions.containsKey(orEmpty(sessionCookie));
    }

    String csrfOf(String sessionCookie) {
        return sessions.get(orEmpty(sessionCookie));
    }

    /** A new session for a caller that showed the token: its id (the cookie) and its CSRF token. */
    String[] newSession() {
        String id = randomToken();
        String csrf = randomToken();
        sessions.put(id, csrf);
        return new String[] {id, csrf};
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
