package io.bitvision.operators.source;

import io.bitvision.operators.security.Redaction;
import io.bitvision.operators.source.split.InputKind;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which camera URIs the source may open, and which FFmpeg protocols each may reach. Camera URIs are untrusted input
 * (a registry topic, {@code add-camera}), and FFmpeg follows URLs found inside what it opens: an HLS playlist served
 * over HTTP may name {@code file:///etc/...} segments, which FFmpeg's HLS demuxer opens by default. So there are two
 * gates:
 * <ul>
 *   <li>the URI's scheme must be in {@link #allowedSchemes()} (default {@link #DEFAULT_SCHEMES}); local files
 *       ({@code file:}, a plain path, {@code replay:}) only for the cameras the operator gave when the source was
 *       built ({@link #localCameras()}), unless {@code file} is itself allowed;
 *   <li>FFmpeg gets a {@code protocol_whitelist} of the scheme and the transports it needs ({@link #ffmpegProtocols}),
 *       which nested inputs inherit, so no camera can pull {@code file:}, {@code concat:}, {@code subfile:} or
 *       {@code data:} through a playlist.
 * </ul>
 *
 * @param allowedSchemes lower-case schemes any camera may use
 * @param localCameras camera id to URI of the cameras configured by the operator (may be local files)
 */
public record CameraUriPolicy(Set<String> allowedSchemes, Map<String, String> localCameras) implements Serializable {

    /** Schemes allowed when the operator names none: network cameras. */
    public static final List<String> DEFAULT_SCHEMES = List.of("rtsp", "rtsps", "http", "https");

    /** The scheme of a local path; {@code replay:} files count as this scheme too. */
    public static final String FILE = "file";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

    /** Transports FFmpeg needs behind a scheme; a scheme not listed gets itself and tcp, udp, tls. */
    private static final Map<String, String> PROTOCOLS = Map.of(
            "file", "file",
            "http", "http,https,tcp,tls,crypto",
            "https", "http,https,tcp,tls,crypto",
            "rtsp", "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
            "rtsps", "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
            "rtmp", "rtmp,rtmps,tcp,tls",
            "rtmps", "rtmp,rtmps,tcp,tls",
            "srt", "srt,udp",
            "udp", "udp,rtp");

    public CameraUriPolicy {
        allowedSchemes = Set.copyOf(normalise(allowedSchemes));
        localCameras = Map.copyOf(localCameras);
    }

    /**
     * {@code schemes} trimmed, lower-case, sorted and without repeats; refuses an empty list and anything that is not
     * a URI scheme (such as {@code rtsp://}).
     */
    public static List<String> normalise(Collection<String> schemes) {
        Set<String> normalised = new TreeSet<>();
        for (String scheme : schemes) {
            String s = scheme.trim().toLowerCase(Locale.ROOT);
            if (!s.matches("[a-z][a-z0-9+.-]*")) {
                throw new IllegalArgumentException("not a URI scheme: '" + scheme + "'");
            }
            normalised.add(s);
        }
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("no camera schemes allowed: name at least one (default "
                    + String.join(",", DEFAULT_SCHEMES) + ")");
        }
        return List.copyOf(normalised);
    }

    /** The default schemes; the given cameras may also be local files. */
    public static CameraUriPolicy defaults(Collection<CameraSpec> localCameras) {
        return of(DEFAULT_SCHEMES, localCameras);
    }

    public static CameraUriPolicy of(Collection<String> schemes, Collection<CameraSpec> localCameras) {
        return new CameraUriPolicy(Set.copyOf(schemes),
                localCameras.stream().collect(Collectors.toMap(CameraSpec::id, CameraSpec::uri)));
    }

    /**
     * Why {@code camera} may not be opened, or empty when it may. The reason names the scheme, what is allowed and
     * the option that allows more; the URI in it has no credentials.
     */
    public Optional<String> refusal(CameraSpec camera) {
        String scheme = scheme(camera.uri());
        if (allowedSchemes.contains(scheme)) {
            return Optional.empty();
        }
        boolean local = camera.uri().equals(localCameras.get(camera.id()));
        if (scheme.equals(FILE)) {
            return local ? Optional.empty() : Optional.of("camera URI " + Redaction.text(camera.uri())
                    + " is a local file, which only cameras given to the job at start may be (allowed schemes: "
                    + String.join(",", new TreeSet<>(allowedSchemes)) + "; --camera-schemes adds more)");
        }
        return Optional.of("camera URI scheme '" + scheme + "' is not allowed (allowed: "
                + String.join(",", new TreeSet<>(allowedSchemes)) + "; --camera-schemes adds more)");
    }

    /** FFmpeg's {@code protocol_whitelist} for the camera at {@code uri}: its scheme and that scheme's transports. */
    public static String ffmpegProtocols(String uri) {
        String scheme = scheme(uri);
        return PROTOCOLS.getOrDefault(scheme, scheme + ",tcp,udp,tls");
    }

    /**
     * The lower-case scheme of {@code uri} as FFmpeg would read it: {@value #FILE} for a plain path, a Windows drive
     * path, {@code file:} and {@code replay:}.
     */
    public static String scheme(String uri) {
        if (InputKind.isReplay(uri)) {
            return FILE;
        }
        if (uri.startsWith("subfile,")) { // FFmpeg reads "subfile,,start,N,end,M,,:PATH" as its subfile protocol
            return "subfile";
        }
        Matcher m = SCHEME.matcher(uri);
        if (!m.find() || m.group(1).length() == 1) {
            return FILE;
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }
}
