package io.bitvision.cli.console;

import io.bitvision.cli.PhotoEnrolment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A running console: the topic reader, the state it folds into and the HTTP server, started together and closed
 * together. {@link #start} is what {@code console} and {@code demo --console} call.
 */
public final class Console implements AutoCloseable {
    /**
     * @param bind        address to listen on; beyond loopback only with a {@code token} given
     * @param port        0: any free port
     * @param token       the console token (from --token-file); null on loopback: one is made up
     * @param faceModels  where the face models for enrolment are ({@code modelsDir} and optional files)
     */
    public record Settings(String bootstrap, Properties clientProperties, ConsoleTopics topics, String bind, int port,
                           String token, Path faceDetector, Path faceModel, Path modelsDir) {
        public Settings {
            if (token == null && !ConsoleAccess.isLoopback(bind)) {
                throw new IllegalArgumentException("--bind " + bind + " reaches beyond this machine: give --token-file "
                        + "FILE (a token of at least 16 characters) so that nobody else can read or write");
            }
        }
    }

    private final TopicTail tail;
    private final ConsoleServer server;
    private final String url;
    private final String token;
    private final boolean tokenMadeUp;
    private final String enrolment;

    private Console(TopicTail tail, ConsoleServer server, String url, String token, boolean tokenMadeUp, String enrolment) {
        this.tail = tail;
        this.server = server;
        this.url = url;
        this.token = token;
        this.tokenMadeUp = tokenMadeUp;
        this.enrolment = enrolment;
    }

    public static Console start(Settings settings) {
        FleetState state = new FleetState();
        boolean madeUp = settings.token() == null;
        String token = madeUp ? ConsoleAccess.randomToken() : settings.token();
        boolean loopback = ConsoleAccess.isLoopback(settings.bind());
        ConsoleAccess access = new ConsoleAccess(token, !madeUp, loopback);
        PhotoEnrolment enrolment = null;
        String whyNot = null;
        try {
            enrolment = PhotoEnrolment.load(settings.faceDetector(), settings.faceModel(), settings.modelsDir());
        } catch (PhotoEnrolment.EnrolmentException e) {
            whyNot = e.getMessage();
        }
        WatchlistWriter writer = new WatchlistWriter(enrolment, whyNot, settings.bootstrap(), settings.topics().watchlist(),
                settings.clientProperties(), state);
        TopicTail tail = new TopicTail(settings.bootstrap(), settings.clientProperties(), settings.topics(), state);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("bootstrap", settings.bootstrap());
        about.put("topics", settings.topics());
        ConsoleServer server = new ConsoleServer(state, tail, access, writer, about);
        tail.start();
        int port;
        try {
            port = server.start(settings.bind(), settings.port());
        } catch (RuntimeException e) {
            try {
                tail.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        if (loopback && !settings.bind().equals("localhost")) {
            host = settings.bind().contains(":") ? "[::1]" : "127.0.0.1";
        }
        return new Console(tail, server, "http://" + host + ":" + port + "/", token, madeUp,
                whyNot == null ? "on (" + enrolment.detectorId() + " + " + enrolment.modelId() + ")" : "off: " + whyNot);
    }

    public String url() {
        return url;
    }

    /** The token writes (and, when given in a file, reads) need. */
    public String token() {
        return token;
    }

    /** What to print at start: where it is, who may use it, whether photos can be enrolled. */
    public String banner() {
        StringBuilder b = new StringBuilder();
        b.append("console: ").append(url).append('\n');
        if (tokenMadeUp) {
            b.append("console: loopback only; reading is open to this machine, enrolling and deleting need this token "
                    + "(sign in on the page): ").append(token).append('\n');
        } else {
            b.append("console: every view and write needs the token from --token-file (sign in on the page, or "
                    + "Authorization: Bearer TOKEN)\n");
        }
        b.append("console: enrolment ").append(enrolment);
        return b.toString();
    }

    /** Pages with the event stream open now. */
    public int eventClients() {
        return server.eventClients();
    }

    public long recordsRead() {
        return tail.recordsRead();
    }

    public boolean caughtUp() {
        return tail.caughtUp();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        tail.close();
    }
}
