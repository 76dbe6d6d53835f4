package io.bitvision.jobs.pipeline;

import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.operators.faces.EngineFaceEmbedder;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.operators.faces.OnnxFaceEmbedder;
import io.bitvision.operators.inference.DarkRegionsModel;
import io.bitvision.operators.inference.ModelClasses;
import io.bitvision.operators.inference.ModelRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Parses the job's command line, shared by {@code ./bitvision run} and {@code flink run}:
 * {@code --bootstrap HOST:PORT --camera ID=URL [--camera ...] [--model FILE.bvm] [--checkpoint-ms N]
 * [--parallelism N] [--target-fps F] [--stall-timeout-ms N] [--producer-property KEY=VALUE ...]
 * [--transactional-id-prefix P] [--jpeg-topic T] [--camera-registry T] [--watchlist-topic T]
 * [--face-model F.bvm|F.onnx] [--face-detector F.bvm] [--face-threshold T] [--face-cooldown-frames N]
 * [--activity-block-frames N] [--activity-topic T] [--consumer-property KEY=VALUE ...] [--kafka-property KEY=VALUE ...] [--kafka-properties FILE]}.
 *
 * <p>Kafka client settings: {@code --kafka-property} and {@code --kafka-properties FILE} (a Java properties file, read
 * here) go to every client of the job, the exactly-once producer and the consumers; {@code --producer-property} and
 * {@code --consumer-property} go to one side and win over the same key given for every client. A file keeps
 * passwords off the command line (which {@code ps} and Flink's client log show); Kafka's config providers
 * ({@code config.providers}, {@code ${file:PATH:KEY}}) keep them out of the job graph too.
 *
 * <p>With a watchlist topic and no face options, the shipped face models are used when present
 * ({@value #FACE_DETECTOR_NAME}, {@value #FACE_EMBEDDER_NAME} in models/), with the embedder's calibrated threshold.
 */
public final class PipelineArgs {
    /** Used when no --model is given, relative to the working directory (the repository root for ./bitvision). */
    static final Path DEFAULT_MODEL = Path.of("models", "person-v1.bvm");
    public static final String FACE_DETECTOR_NAME = "face-detector-v1.bvm";
    public static final String FACE_EMBEDDER_NAME = "face-embedder-v1.bvm";
    static final Path DEFAULT_FACE_DETECTOR = Path.of("models", FACE_DETECTOR_NAME);
    static final Path DEFAULT_FACE_EMBEDDER = Path.of("models", FACE_EMBEDDER_NAME);
    /** The colour-layout test embedder's threshold, for jobs without a face model. */
    static final float TEST_EMBEDDER_THRESHOLD = 0.9f;

    private PipelineArgs() {}

    public static PipelineConfig parse(String[] args) throws java.io.IOException {
        PipelineConfig.Builder b = PipelineConfig.builder();
        boolean modelGiven = false;
        boolean faceModelGiven = false;
        boolean faceDetectorGiven = false;
        Float faceThreshold = null;
        FaceEmbedder embedder = null;
        String activityTopic = PipelineConfig.DEFAULT_ACTIVITY_TOPIC;
        int activityBlockFrames = 0;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--bootstrap" -> b.bootstrapServers(value);
                case "--camera" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0 || eq == value.length() - 1) {
                        throw new IllegalArgumentException("--camera takes ID=URL, got '" + value + "'");
                    }
                    b.camera(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--model" -> {
                    b.model(ModelRef.ofFile(Path.of(value)), className(Path.of(value)));
                    modelGiven = true;
                }
                case "--checkpoint-ms" -> b.checkpointInterval(Duration.ofMillis(Long.parseLong(value)));
                case "--parallelism" -> b.parallelism(Integer.parseInt(value));
                case "--target-fps" -> b.targetFps(Double.parseDouble(value));
                case "--stall-timeout-ms" -> b.stallTimeout(Duration.ofMillis(Long.parseLong(value)));
                case "--transactional-id-prefix" -> b.transactionalIdPrefix(value);
                case "--jpeg-topic" -> b.jpegTopic(value);
                case "--camera-registry" -> b.cameraRegistry(value);
                case "--watchlist-topic" -> b.watchlist(value, TEST_EMBEDDER_THRESHOLD, 50);
                case "--face-model" -> {
                    embedder = faceEmbedder(Path.of(value));
                    b.faceEmbedder(embedder);
                    faceModelGiven = true;
                }
                case "--face-detector" -> {
                    b.faceDetector(faceDetector(Path.of(value)));
                    faceDetectorGiven = true;
                }
                case "--face-threshold" -> faceThreshold = Float.parseFloat(value);
                case "--face-cooldown-frames" -> b.faceCooldownFrames(Long.parseLong(value));
                case "--activity-block-frames" -> activityBlockFrames = Integer.parseInt(value);
                case "--activity-topic" -> activityTopic = value;
                case "--kafka-property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--kafka-property takes KEY=VALUE");
                    }
                    b.kafkaProperty(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--kafka-properties" -> {
                    Properties file = new Properties();
                    try (var in = java.nio.file.Files.newBufferedReader(Path.of(value))) {
                        file.load(in);
                    } catch (java.nio.file.NoSuchFileException e) {
                        throw new IllegalArgumentException("--kafka-properties " + value + ": no such file");
                    }
                    for (String key : file.stringPropertyNames()) {
                        b.kafkaProperty(key, file.getProperty(key));
                    }
                }
                case "--consumer-property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--consumer-property takes KEY=VALUE");
                    }
                    b.consumerProperty(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--producer-property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--producer-property takes KEY=VALUE");
                    }
                    b.producerProperty(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (!modelGiven && java.nio.file.Files.isRegularFile(DEFAULT_MODEL)) {
            System.err.println("model: " + DEFAULT_MODEL + " (default)");
            b.model(ModelRef.ofFile(DEFAULT_MODEL), className(DEFAULT_MODEL));
        } else if (!modelGiven) {
            System.err.println("warning: " + DEFAULT_MODEL.toAbsolutePath() + " not found; running the hand-built stand-in '"
                    + DarkRegionsModel.NAME + "', which marks dark regions, not people (pass --model PATH)");
            var model = DarkRegionsModel.build(576, 768, 70);
            b.model(ModelRef.ofBytes(model.name(), ModelWriter.toBytes(model)), "dark-region");
        }
        if (activityBlockFrames == 0 && !activityTopic.equals(PipelineConfig.DEFAULT_ACTIVITY_TOPIC)) {
            throw new IllegalArgumentException("--activity-topic needs --activity-block-frames N");
        }
        b.activity(activityTopic, activityBlockFrames);
        PipelineConfig partial = b.build();
        if (partial.watchlistTopic() != null) {
            if (!faceModelGiven && java.nio.file.Files.isRegularFile(DEFAULT_FACE_EMBEDDER)) {
                System.err.println("face embedder: " + DEFAULT_FACE_EMBEDDER + " (default)");
                embedder = faceEmbedder(DEFAULT_FACE_EMBEDDER);
                b.faceEmbedder(embedder);
            }
            if (!faceDetectorGiven && embedder != null && java.nio.file.Files.isRegularFile(DEFAULT_FACE_DETECTOR)) {
                System.err.println("face detector: " + DEFAULT_FACE_DETECTOR + " (default)");
                b.faceDetector(faceDetector(DEFAULT_FACE_DETECTOR));
            }
            if (faceThreshold == null && embedder != null) {
                String id = embedder.id();
                faceThreshold = (float) embedder.calibratedThreshold().orElseThrow(() -> new IllegalArgumentException(
                        "the face model " + id + " has no calibrated threshold (metadata match.threshold); "
                                + "pass --face-threshold T or run ./bitvision calibrate --write-threshold"));
            }
            if (faceThreshold != null) {
                b.faceThreshold(faceThreshold);
            }
        }
        return b.build();
    }

    /** The binary face detector from a .bvm file. */
    public static FrameFaceDetector faceDetector(Path file) throws java.io.IOException {
        try {
            return new FrameFaceDetector(java.nio.file.Files.readAllBytes(file));
        } catch (io.bitvision.engine.model.ModelFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--face-detector " + file + ": " + e.getMessage(), e);
        }
    }

    /** The name of class 0 in the model's metadata, "person" when it names none. */
    static String className(Path model) throws java.io.IOException {
        try {
            return ModelClasses.name(ModelReader.read(model), 0, "person");
        } catch (io.bitvision.engine.model.ModelFormatException e) {
            throw new IllegalArgumentException("--model " + model + ": " + e.getMessage(), e);
        }
    }

    /** A face embedder from a model file: ONNX (SFace layout) by its extension, else our .bvm format. */
    public static FaceEmbedder faceEmbedder(Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            return new OnnxFaceEmbedder(bytes);
        }
        try {
            return new EngineFaceEmbedder(bytes);
        } catch (io.bitvision.engine.model.ModelFormatException e) {
            throw new IllegalArgumentException("--face-model " + file + ": " + e.getMessage(), e);
        }
    }
}
