package io.bitvision.jobs.pipeline;

import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.EngineFaceDetector;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.faces.TiledFaceDetector;
import io.bitvision.operators.faces.YuNetFaceDetector;
import io.bitvision.operators.faces.OnnxFaceEmbedder;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import io.bitvision.operators.inference.ModelRef;
import io.bitvision.operators.preview.PreviewSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job's command line, one definition for {@code ./bitvision run} (a picocli mixin there) and {@code flink run}
 * ({@link PipelineMain}). {@link #toConfig} checks it and reads the model files.
 *
 * <p>Kafka client settings: {@code --kafka-property} and {@code --kafka-properties FILE} (a Java properties file, read
 * here) go to every client of the job, the exactly-once producer and the consumers; {@code --producer-property} and
 * {@code --consumer-property} go to one side and win over the same key given for every client. A file keeps
 * passwords off the command line (which {@code ps} and Flink's client log show); Kafka's config providers
 * ({@code config.providers}, {@code ${file:PATH:KEY}}) keep them out of the job graph too.
 *
 * <p>Fail closed: without the person model ({@code --model}, else {@value #PERSON_MODEL_NAME} in
 * {@code --models-dir}) the job does not start unless {@code --stand-in-model} asks for the hand-built stand-in; a
 * watchlist without a face model is refused unless {@code --test-embedder} asks for the colour-layout test embedder.
 */
@Command(name = "run", sortOptions = false, description = {
        "The pipeline job: cameras in, person masks and face matches out to Kafka, exactly once."})
public final class PipelineArgs {
    public static final String PERSON_MODEL_NAME = "person-v1.bvm";
    public static final String FACE_DETECTOR_NAME = "face-detector-v2.bvm";
    public static final String FACE_EMBEDDER_NAME = "face-embedder-v1.bvm";
    /** {@code models/} beside the launcher ({@code -Dbitvision.home}), else in the working directory. */
    public static final String DEFAULT_MODELS_DIR = "${sys:bitvision.home:-.}/models";
    /** The colour-layout test embedder's threshold, for jobs run with {@code --test-embedder}. */
    static final float TEST_EMBEDDER_THRESHOLD = 0.9f;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--camera", paramLabel = "ID=URL", description = "A camera (repeat for more).")
    List<String> cameras = new ArrayList<>();

    @Option(names = "--models-dir", paramLabel = "DIR", defaultValue = DEFAULT_MODELS_DIR,
            description = "Where the shipped models are (default: models/ beside ./bitvision).")
    Path modelsDir;

    @Option(names = "--model", paramLabel = "M.bvm", description = "Person model (default: DIR/" + PERSON_MODEL_NAME + ").")
    Path model;

    @Option(names = "--camera-model", paramLabel = "ID=M.bvm", description = "Camera ID runs this model instead of "
            + "--model (repeat for more; any camera source). A file that cannot run gives that camera a FAILED health event.")
    List<String> cameraModels = new ArrayList<>();

    @Option(names = "--named-model", paramLabel = "NAME=M.bvm", description = "A model a camera registry record may ask "
            + "for by NAME ({\"uri\": ..., \"model\": NAME}; repeat for more). A camera naming a model the job lacks gets "
            + "a FAILED health event, never the default model.")
    List<String> namedModels = new ArrayList<>();

    @Option(names = "--stand-in-model", description = "Run the hand-built stand-in (marks dark regions, not people) "
            + "when there is no person model.")
    boolean standInModel;

    @Option(names = "--job-version", paramLabel = "V", description = "A label for this deployment, shown in the job's name.")
    String jobVersion;

    @Option(names = "--checkpoint-ms", paramLabel = "N", description = "Checkpoint interval (default 1000).")
    Long checkpointMs;

    @Option(names = "--parallelism", paramLabel = "N")
    Integer parallelism;

    @Option(names = "--target-fps", paramLabel = "F", description = "Frames per second taken from each camera.")
    Double targetFps;

    @Option(names = "--inference-threads", paramLabel = "N",
            description = "Threads per inference slot that split each frame's rows (default 1). Give a slot N cores.")
    Integer inferenceThreads;

    @Option(names = "--stall-timeout-ms", paramLabel = "N")
    Long stallTimeoutMs;

    @Option(names = "--transactional-id-prefix", paramLabel = "P")
    String transactionalIdPrefix;

    @Option(names = "--jpeg-topic", paramLabel = "T", description = "JPEG frames pushed to Kafka, keyed by camera id.")
    String jpegTopic;

    @Option(names = "--camera-schemes", paramLabel = "S,S", split = ",",
            description = "URI schemes a camera may use (default rtsp,rtsps,http,https); local files only for --camera.")
    List<String> cameraSchemes;

    @Option(names = "--camera-registry", paramLabel = "T", description = "Cameras registered at run time (add-camera).")
    String cameraRegistry;

    @Option(names = "--watchlist-topic", paramLabel = "T", description = "WatchlistUpdate records; turns face matching on.")
    String watchlistTopic;

    @Option(names = "--face-model", paramLabel = "F.bvm|F.onnx",
            description = "Face embedder (default with a watchlist: DIR/" + FACE_EMBEDDER_NAME + ").")
    Path faceModel;

    @Option(names = "--face-detector", paramLabel = "F.bvm|F.onnx",
            description = "Face detector, ours or YuNet ONNX layout (default with a watchlist: DIR/" + FACE_DETECTOR_NAME + ").")
    Path faceDetector;

    @Option(names = "--face-tiles", paramLabel = "N", defaultValue = "1",
            description = "Also run the face detector on N x N overlapping tiles of each frame, for faces too small "
                    + "in the whole frame (1 = whole frame only, the default; costs 1 + N*N detector runs per frame).")
    int faceTiles;

    @Option(names = "--face-camera", paramLabel = "ID", description = "Look for faces on this camera only (repeat for "
            + "more; default: every camera). Cameras without faces to match then skip the face detector's cost.")
    List<String> faceCameras = new ArrayList<>();

    @Option(names = "--test-embedder", description = "With a watchlist and no face model: the colour-layout test "
            + "embedder (tests only; it does not recognise faces).")
    boolean testEmbedder;

    @Option(names = "--face-threshold", paramLabel = "T", description = "Cosine threshold (default: the model's calibrated one).")
    Float faceThreshold;

    @Option(names = "--face-cooldown-frames", paramLabel = "N")
    Long faceCooldownFrames;

    @Option(names = "--activity-block-frames", paramLabel = "N", description = "People counted per block of N frames (0: off).")
    int activityBlockFrames;

    @Option(names = "--activity-topic", paramLabel = "T")
    String activityTopic;

    @Option(names = "--preview-topic", paramLabel = "T", description = "Publish downscaled JPEGs of processed frames "
            + "here for the console (camera pixels on Kafka: off unless given).")
    String previewTopic;

    @Option(names = "--preview-fps", paramLabel = "F", description = "Previews per second per camera (default "
            + PreviewSettings.DEFAULT_FPS + ").")
    Double previewFps;

    @Option(names = "--preview-width", paramLabel = "PX", description = "Preview width in pixels (default "
            + PreviewSettings.DEFAULT_WIDTH + ").")
    Integer previewWidth;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "For every Kafka client of the job.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--kafka-properties", paramLabel = "FILE", description = "A properties file for every Kafka client.")
    Path kafkaPropertiesFile;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE")
    List<String> producerProperties = new ArrayList<>();

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE")
    List<String> consumerProperties = new ArrayList<>();

    /** The configuration of {@code args}; bad options throw IllegalArgumentException with picocli's message. */
    public static PipelineConfig parse(String... args) throws IOException {
        return of(args).toConfig(System.err);
    }

    /** {@code args} read into a new instance, not yet checked against the files they name. */
    public static PipelineArgs of(String... args) {
        PipelineArgs parsed = new PipelineArgs();
        try {
            new CommandLine(parsed).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return parsed;
    }

    public String jobVersion() {
        return jobVersion;
    }

    public boolean helpRequested() {
        return help;
    }

    /** The checked configuration; what it chose by default (models) is said on {@code log}. */
    public PipelineConfig toConfig(PrintStream log) throws IOException {
        PipelineConfig.Builder b = PipelineConfig.builder();
        if (bootstrap != null) {
            b.bootstrapServers(bootstrap);
        }
        for (String camera : cameras) {
            int eq = camera.indexOf('=');
            if (eq <= 0 || eq == camera.length() - 1) {
                throw new IllegalArgumentException("--camera takes ID=URL, got '" + camera + "'");
            }
            b.camera(camera.substring(0, eq), camera.substring(eq + 1));
        }
        personModel(b, log);
        modelFiles("--camera-model", "ID", cameraModels, b::cameraModel);
        modelFiles("--named-model", "NAME", namedModels, b::namedModel);
        if (checkpointMs != null) {
            b.checkpointInterval(Duration.ofMillis(checkpointMs));
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        if (targetFps != null) {
            b.targetFps(targetFps);
        }
        if (inferenceThreads != null) {
            b.inferenceThreads(inferenceThreads);
        }
        if (stallTimeoutMs != null) {
            b.stallTimeout(Duration.ofMillis(stallTimeoutMs));
        }
        if (transactionalIdPrefix != null) {
            b.transactionalIdPrefix(transactionalIdPrefix);
        }
        if (jpegTopic != null) {
            b.jpegTopic(jpegTopic);
        }
        if (cameraSchemes != null) {
            b.cameraSchemes(cameraSchemes);
        }
        if (cameraRegistry != null) {
            b.cameraRegistry(cameraRegistry);
        }
        if (kafkaPropertiesFile != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(kafkaPropertiesFile)) {
                file.load(in);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--kafka-properties " + kafkaPropertiesFile + ": no such file");
            }
            for (String key : file.stringPropertyNames()) {
                b.kafkaProperty(key, file.getProperty(key));
            }
        }
        keyValues("--kafka-property", kafkaProperties).forEach(b::kafkaProperty);
        keyValues("--producer-property", producerProperties).forEach(b::producerProperty);
        keyValues("--consumer-property", consumerProperties).forEach(b::consumerProperty);
        if (activityBlockFrames == 0 && activityTopic != null) {
            throw new IllegalArgumentException("--activity-topic needs --activity-block-frames N");
        }
        b.activity(activityTopic != null ? activityTopic : PipelineConfig.DEFAULT_ACTIVITY_TOPIC, activityBlockFrames);
        if (previewTopic == null && (previewFps != null || previewWidth != null)) {
            throw new IllegalArgumentException("--preview-fps and --preview-width need --preview-topic T");
        }
        if (previewTopic != null) {
            b.previews(new PreviewSettings(previewTopic, previewFps != null ? previewFps : PreviewSettings.DEFAULT_FPS,
                    previewWidth != null ? previewWidth : PreviewSettings.DEFAULT_WIDTH));
        }
        if (watchlistTopic != null) {
            b.watchlist(watchlistTopic, TEST_EMBEDDER_THRESHOLD, 50);
            faceModels(b, log);
        }
        faceCameras.forEach(b::faceCamera);
        if (faceCooldownFrames != null) {
            b.faceCooldownFrames(faceCooldownFrames);
        }
        return b.build();
    }

    private void personModel(PipelineConfig.Builder b, PrintStream log) throws IOException {
        Path path = model != null ? model : modelsDir.resolve(PERSON_MODEL_NAME);
        if (Files.isRegularFile(path)) {
            if (model == null) {
                log.println("model: " + path + " (default)");
            }
            b.model(ModelRef.ofFile(path), className(path));
        } else if (model != null) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        } else if (standInModel) {
            log.println("warning: running the hand-built stand-in '" + DarkRegionsModel.NAME
                    + "', which marks dark regions, not people (--stand-in-model)");
            var standIn = DarkRegionsModel.build(576, 768, 70);
            b.model(ModelRef.ofBytes(standIn.name(), ModelWriter.toBytes(standIn)), "dark-region");
        } else {
            throw new IllegalArgumentException("no person model: " + path.toAbsolutePath().normalize() + " not found; give --model "
                    + "PATH (or --models-dir DIR), or --stand-in-model to run the hand-built stand-in that marks dark "
                    + "regions, not people");
        }
    }

    private void faceModels(PipelineConfig.Builder b, PrintStream log) throws IOException {
        Path embedderPath = faceModel != null ? faceModel : modelsDir.resolve(FACE_EMBEDDER_NAME);
        FaceEmbedder embedder = null;
        if (faceModel != null || Files.isRegularFile(embedderPath)) {
            if (faceModel == null) {
                log.println("face embedder: " + embedderPath + " (default)");
            }
            embedder = faceEmbedder(embedderPath);
            b.faceEmbedder(embedder);
        } else if (!testEmbedder) {
            throw new IllegalArgumentException("--watchlist-topic needs a face model: " + embedderPath.toAbsolutePath().normalize()
                    + " not found; give --face-model PATH (or --models-dir DIR), or --test-embedder for the "
                    + "colour-layout test embedder, which does not recognise faces");
        }
        Path detectorPath = faceDetector != null ? faceDetector : modelsDir.resolve(FACE_DETECTOR_NAME);
        if (faceDetector != null || (embedder != null && Files.isRegularFile(detectorPath))) {
            if (faceDetector == null) {
                log.println("face detector: " + detectorPath + " (default)");
            }
            b.faceDetector(faceDetector(detectorPath, faceTiles));
        }
        Float threshold = faceThreshold;
        if (threshold == null && embedder != null) {
            String id = embedder.id();
            threshold = (float) embedder.calibratedThreshold().orElseThrow(() -> new IllegalArgumentException(
                    "the face model " + id + " has no calibrated threshold (metadata match.threshold); "
                            + "pass --face-threshold T or run ./bitvision calibrate --write-threshold"));
        }
        if (threshold != null) {
            b.faceThreshold(threshold);
        }
    }

    /** KEY=VALUE settings in order; a malformed one is refused without echoing it (it may hold a secret). */
    public static Map<String, String> keyValues(String option, List<String> settings) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " takes KEY=VALUE");
            }
            parsed.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return parsed;
    }

    /** Reads each {@code KEY=PATH} of {@code flag} and hands the key and the file's bytes on; a missing file is refused. */
    private static void modelFiles(String flag, String keyName, List<String> settings,
                                   java.util.function.BiConsumer<String, ModelRef> add) throws IOException {
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0 || eq == setting.length() - 1) {
                throw new IllegalArgumentException(flag + " takes " + keyName + "=PATH, got '" + setting + "'");
            }
            Path file = Path.of(setting.substring(eq + 1));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(flag + " " + setting + ": no such file");
            }
            add.accept(setting.substring(0, eq), ModelRef.ofFile(file));
        }
    }

    /** {@link #faceDetector(Path)} with a second scale of {@code tiles x tiles} tiles when {@code tiles > 1}. */
    public static FrameFaceDetector faceDetector(Path file, int tiles) throws IOException {
        if (tiles < 1 || tiles > 8) {
            throw new IllegalArgumentException("--face-tiles must be 1..8, got " + tiles);
        }
        FrameFaceDetector detector = faceDetector(file);
        return tiles == 1 ? detector : new TiledFaceDetector(detector, tiles);
    }

    /** A face detector from a model file: ONNX (YuNet layout) by its extension, else our binary .bvm detector. */
    public static FrameFaceDetector faceDetector(Path file) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                return new YuNetFaceDetector(bytes);
            }
            return new EngineFaceDetector(bytes);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--face-detector " + file + ": no such file", e);
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--face-detector " + file + ": " + e.getMessage(), e);
        }
    }

    /** The name of class 0 in the model's metadata, "person" when it names none. */
    static String className(Path model) throws IOException {
        try {
            return ModelClasses.name(ModelReader.read(model), 0, "person");
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException("--model " + model + ": " + e.getMessage(), e);
        }
    }

    /** A face embedder from a model file: ONNX (SFace layout) by its extension, else our .bvm format. */
    public static FaceEmbedder faceEmbedder(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--face-model " + file + ": no such file", e);
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return new OnnxFaceEmbedder(bytes);
        }
        try {
            return new EngineFaceEmbedder(bytes);
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException("--face-model " + file + ": " + e.getMessage(), e);
        }
    }
}
