package io.bitvision.cli.console;

import io.bitvision.cli.CliCommand;
import io.bitvision.jobs.pipeline.PipelineArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code console}: the operators' web console on a running job's topics. */
@Command(name = "console", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The operators' web console: cameras with masks and previews, face matches, health and the "
                + "watchlist, live from the job's topics (read_committed). Runs until Ctrl-C.",
                "Binds to 127.0.0.1; another --bind needs --token-file. Enrolling and deleting always need the token."})
public final class ConsoleCommand extends CliCommand {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT")
    String bootstrap;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Default 8080; 0: any free port.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "First line: the token (16+ characters) every view and write then needs.")
    Path tokenFile;

    @Option(names = "--masks-topic", paramLabel = "T", defaultValue = "bitvision.masks")
    String masksTopic;

    @Option(names = "--health-topic", paramLabel = "T", defaultValue = "bitvision.health")
    String healthTopic;

    @Option(names = "--faces-topic", paramLabel = "T", defaultValue = "bitvision.faces")
    String facesTopic;

    @Option(names = "--watchlist-topic", paramLabel = "T", defaultValue = "bitvision.watchlist")
    String watchlistTopic;

    @Option(names = "--preview-topic", paramLabel = "T", defaultValue = ConsoleTopics.DEFAULT_PREVIEWS,
            description = "The job's --preview-topic (default ${DEFAULT-VALUE}); without previews masks go on a blank canvas.")
    String previewTopic;

    @Option(names = "--face-detector", paramLabel = "M.bvm", description = "For enrolment (default: the shipped one).")
    Path faceDetector;

    @Option(names = "--face-model", paramLabel = "M.bvm|M.onnx", description = "For enrolment (default: the shipped one).")
    Path faceModel;

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = PipelineArgs.DEFAULT_MODELS_DIR)
    Path modelsDir;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE", description = "TLS/SASL settings of the console's clients.")
    List<String> clientSettings = new ArrayList<>();

    /** @return 1 when the token file or the port cannot be used, 2 on bad arguments; else runs until stopped */
    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw usageError("--port must be 0..65535, was " + port);
        }
        String token = null;
        if (tokenFile != null) {
            try {
                token = readToken(tokenFile);
            } catch (IOException | IllegalArgumentException e) {
                err.println("console: --token-file " + tokenFile + ": " + e.getMessage());
                return 1;
            }
        }
        Properties client = new Properties();
        try {
            // Read as the job reads its own; a malformed setting is refused without echoing it (it may be a secret).
            client.putAll(PipelineArgs.keyValues("--consumer-property", clientSettings));
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        Console.Settings settings;
        try {
            settings = new Console.Settings(bootstrap, client, new ConsoleTopics(masksTopic, healthTopic, facesTopic,
                    watchlistTopic, previewTopic), bind, port, token, faceDetector, faceModel, modelsDir);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        Console console;
        try {
            console = Console.start(settings);
        } catch (RuntimeException e) {
            err.println("console: cannot serve on " + bind + ":" + port + ": " + e.getMessage());
            return 1;
        }
        out.println(console.banner());
        out.println("console: reading " + bootstrap + " (read_committed); Ctrl-C stops it");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                console.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    static String readToken(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String token = lines.isEmpty() ? "" : lines.getFirst().strip();
        if (token.length() < 16) {
            throw new IllegalArgumentException("the token on its first line must have at least 16 characters");
        }
        return token;
    }
}
