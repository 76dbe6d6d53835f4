package io.bitvision.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitvision.cli.PhotoEnrolment;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.UploadedFile;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP side (Javalin on Jetty): the page and its assets from the jar, the JSON API, and one server-sent
 * event stream that says when anything changed (at most {@value #PUSH_MS} ms apart), so pages fetch only what moved.
 */
final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    static final long PUSH_MS = 250;
    static final int MAX_PHOTO_MB = 10;
    /** Identity ids as the job keys them: printable, no slashes, bounded. */
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetState state;
    private final TopicTail tail;
    private final ConsoleAccess access;
    private final WatchlistWriter writer;
    private final Map<String, Object> about;
    private final Javalin app;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-push");
        t.setDaemon(true);
        return t;
    });
    private long pushedVersion = -1;
    private long lastPushMs;

    ConsoleServer(FleetState state, TopicTail tail, ConsoleAccess access, WatchlistWriter writer, Map<String, Object> about) {
        this.state = state;
        this.tail = tail;
        this.access = access;
        this.writer = writer;
        this.about = about;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/console";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                        "Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'");
            });
            config.jetty.multipartConfig.maxFileSize(MAX_PHOTO_MB, SizeUnit.MB);
            // Uploads stay in memory: a photo is never written to disk.
            config.jetty.multipartConfig.maxInMemoryFileSize(MAX_PHOTO_MB, SizeUnit.MB);
            config.jetty.multipartConfig.maxTotalRequestSize(MAX_PHOTO_MB + 1, SizeUnit.MB);
            config.routes.before(this::guard);
            config.routes.get("/api/about", ctx -> json(ctx, about()));
            config.routes.get("/api/session", ctx -> json(ctx, session(ctx)));
            config.routes.post("/api/session", this::signIn);
            config.routes.get("/api/cameras", ctx -> json(ctx, state.cameras(System.currentTimeMillis())));
            config.routes.get("/api/cameras/{id}", this::camera);
            config.routes.get("/api/cameras/{id}/frame", this::frame);
            config.routes.get("/api/cameras/{id}/previews/{seq}", this::preview);
            config.routes.get("/api/matches", this::matches);
            config.routes.get("/api/watchlist", ctx -> json(ctx, state.watchlist()));
            config.routes.post("/api/watchlist", this::enrol);
            config.routes.delete("/api/watchlist/{id}", this::delete);
            config.routes.sse("/api/events", this::subscribe);
        });
    }

    /** Starts serving on {@code host:port} (port 0: any free one); returns the port. */
    int start(String host, int port) {
        app.start(host, port);
        pusher.scheduleWithFixedDelay(this::push, PUSH_MS, PUSH_MS, TimeUnit.MILLISECONDS);
        return app.port();
    }

    int eventClients() {
        return (int) clients.stream().filter(c -> !c.terminated()).count();
    }

    private void guard(Context ctx) {
        if (!access.hostAllowed(ctx.header("Host"))) {
            reject(ctx, 403, "this console answers only to loopback host names (localhost, 127.0.0.1)");
            return;
        }
        String path = ctx.path();
        // The page and its assets hold no data; signing in must work without a session.
        if (!path.startsWith("/api/") || path.equals("/api/session")) {
            return;
        }
        String cookie = ctx.cookie(ConsoleAccess.SESSION_COOKIE);
        String authorization = ctx.header("Authorization");
        boolean write = ctx.method() == HandlerType.POST || ctx.method() == HandlerType.DELETE
                || ctx.method() == HandlerType.PUT || ctx.method() == HandlerType.PATCH;
        if (write && !access.canWrite(authorization, cookie, ctx.header(ConsoleAccess.CSRF_HEADER))) {
            reject(ctx, 401, "writes need the console token: Authorization: Bearer TOKEN, or sign in on the page "
                    + "(session cookie plus its " + ConsoleAccess.CSRF_HEADER + " header)");
        } else if (!write && !access.canRead(authorization, cookie)) {
            reject(ctx, 401, "this console needs its token: Authorization: Bearer TOKEN, or sign in on the page");
        }
    }

    private static void reject(Context ctx, int status, String why) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"bitvision console\"");
        ctx.skipRemainingHandlers();
        ctx.status(status);
        json(ctx, Map.of("error", why));
    }

    private Map<String, Object> about() {
        Map<String, Object> a = new LinkedHashMap<>(about);
        a.put("records_read", tail.recordsRead());
        a.put("records_undecodable", tail.undecodable());
        a.put("caught_up", tail.caughtUp());
        a.put("read_error", tail.lastError());
        a.put("reads_need_token", access.readsNeedToken());
        a.put("enrolment", writer.whyEnrolmentUnavailable() == null ? "on" : "off: " + writer.whyEnrolmentUnavailable());
        a.put("face_model", writer.faceModel());
        return a;
    }

    private Map<String, Object> session(Context ctx) {
        String cookie = ctx.cookie(ConsoleAccess.SESSION_COOKIE);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("signed_in", access.signedIn(cookie));
        s.put("csrf", access.csrfOf(cookie));
        s.put("reads_need_token", access.readsNeedToken());
        return s;
    }

    private void signIn(Context ctx) {
        String token = ctx.formParam("token");
        if (!access.tokenMatches(token)) {
            ctx.status(401);
            json(ctx, Map.of("error", "wrong token"));
            return;
        }
        String[] session = access.newSession();
        ctx.header("Set-Cookie", ConsoleAccess.SESSION_COOKIE + "=" + session[0] + "; Path=/; HttpOnly; SameSite=Strict");
        json(ctx, Map.of("signed_in", true, "csrf", session[1]));
    }

    private void camera(Context ctx) {
        Map<String, Object> camera = state.camera(ctx.pathParam("id"), System.currentTimeMillis());
        if (camera == null) {
            notFound(ctx, "no camera '" + ctx.pathParam("id") + "' in the records read");
        } else {
            json(ctx, camera);
        }
    }

    private void frame(Context ctx) {
        Map<String, Object> frame = state.frame(ctx.pathParam("id"));
        if (frame == null) {
            notFound(ctx, "no mask record of camera '" + ctx.pathParam("id") + "' read yet");
        } else {
            json(ctx, frame);
        }
    }

    private void preview(Context ctx) {
        long seq;
        try {
            seq = Long.parseLong(ctx.pathParam("seq"));
        } catch (NumberFormatException e) {
            ctx.status(400);
            json(ctx, Map.of("error", "frame number expected, got '" + ctx.pathParam("seq") + "'"));
            return;
        }
        byte[] jpeg = state.previewJpeg(ctx.pathParam("id"), seq);
        if (jpeg == null) {
            notFound(ctx, "no preview of frame " + seq + " of camera '" + ctx.pathParam("id") + "' held");
            return;
        }
        ctx.contentType("image/jpeg");
        ctx.header("Cache-Control", "private, max-age=3600");
        ctx.result(jpeg);
    }

    private void matches(Context ctx) {
        int limit = 100;
        String given = ctx.queryParam("limit");
        if (given != null) {
            try {
                limit = Math.clamp(Integer.parseInt(given), 1, FleetState.MATCHES_KEPT);
            } catch (NumberFormatException e) {
                ctx.status(400);
                json(ctx, Map.of("error", "limit must be a number, got '" + given + "'"));
                return;
            }
        }
        json(ctx, state.matches(limit, blankToNull(ctx.queryParam("identity")), blankToNull(ctx.queryParam("camera"))));
    }

    private void enrol(Context ctx) {
        String id = ctx.formParam("id");
        if (id == null || !IDENTITY.matcher(id).matches()) {
            ctx.status(400);
            json(ctx, Map.of("error", "id must be 1-64 of A-Z a-z 0-9 . _ @ -, got " + (id == null ? "nothing" : "'" + id + "'")));
            return;
        }
        UploadedFile photo = ctx.uploadedFile("photo");
        if (photo == null) {
            ctx.status(400);
            json(ctx, Map.of("error", "attach a photo of the person (field 'photo', PNG or JPEG)"));
            return;
        }
        byte[] bytes;
        try (InputStream in = photo.content()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            ctx.status(400);
            json(ctx, Map.of("error", "the upload could not be read: " + e.getMessage()));
            return;
        }
        try {
            WatchlistWriter.Outcome outcome = writer.enrol(id, blankToNull(ctx.formParam("name")), bytes,
                    "uploaded photo '" + photo.filename() + "'");
            LOG.info("console enrolled '{}' at version {}", id, outcome.update().getVersion());
            ctx.status(201);
            json(ctx, Map.of("identity_id", id, "version", outcome.update().getVersion(), "message", outcome.message()));
        } catch (PhotoEnrolment.EnrolmentException e) {
            ctx.status(422);
            json(ctx, Map.of("error", e.getMessage()));
        }
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        if (!state.enrolled(id)) {
            notFound(ctx, "'" + id + "' is not on the watchlist");
            return;
        }
        try {
            WatchlistWriter.Outcome outcome = writer.delete(id);
            LOG.info("console deleted '{}' at version {}", id, outcome.update().getVersion());
            json(ctx, Map.of("identity_id", id, "version", outcome.update().getVersion(), "message", outcome.message()));
        } catch (PhotoEnrolment.EnrolmentException e) {
            ctx.status(502);
            json(ctx, Map.of("error", e.getMessage()));
        }
    }

    private void subscribe(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendEvent("update", update());
    }

    private void push() {
        try {
            long now = System.currentTimeMillis();
            long version = state.version();
            boolean changed = version != pushedVersion;
            // Also once a second unchanged: frames/s and latency age even when nothing arrives.
            if (clients.isEmpty() || !changed && now - lastPushMs < 1000) {
                return;
            }
            pushedVersion = version;
            lastPushMs = now;
            String update = update();
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                } else {
                    client.sendEvent("update", update);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("console push failed: {}", e.toString());
        }
    }

    private String update() {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("version", state.version());
        u.put("cameras", state.cameras(System.currentTimeMillis()));
        u.put("matches_seen", state.matchesSeen());
        u.put("watchlist", state.watchlist().size());
        try {
            return JSON.writeValueAsString(u);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void notFound(Context ctx, String why) {
        ctx.status(404);
        json(ctx, Map.of("error", why));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void json(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pusher.shutdownNow();
        clients.forEach(SseClient::close);
        app.stop();
    }
}
