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
    static final long SESSION_MS = 12 * 3600_000L;
    static final int MAX_SESSIONS = 1000;
    /** Session id -> its CSRF token and when it was made. */
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String csrf, long createdMs) {}

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
        return !readsNeedToken || tokenMatches(tokenFromAuthorization(authorization)) || signedIn(sessionCookie);
    }

    boolean canWrite(String authorization, String sessionCookie, String csrfHeader) {
        if (tokenMatches(tokenFromAuthorization(authorization))) {
            return true;
        }
        String csrf = csrfOf(sessionCookie);
        return csrf != null && csrfHeader != null
                && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), csrfHeader.getBytes(StandardCharsets.UTF_8));
    }

    boolean signedIn(String sessionCookie) {
        return csrfOf(sessionCookie) != null;
    }

    /** The session's CSRF token while the session lasts ({@link #SESSION_MS}), else null. */
    String csrfOf(String sessionCookie) {
        Session s = sessions.get(orEmpty(sessionCookie));
        if (s == null) {
            return null;
        }
        if (System.currentTimeMillis() - s.createdMs() > SESSION_MS) {
            sessions.remove(sessionCookie);
            return null;
        }
        return s.csrf();
    }

    /** A new session for a caller that showed the token: its id (the cookie) and its CSRF token. */
    String[] newSession() {
        String id = randomToken();
        String csrf = randomToken();
        long now = System.currentTimeMillis();
        sessions.values().removeIf(old -> now - old.createdMs() > SESSION_MS);
        if (sessions.size() >= MAX_SESSIONS) { // sign-ins are token holders; still, keep the table bounded
            sessions.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().createdMs()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        sessions.put(id, new Session(csrf, now));
        return new String[] {id, csrf};
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
