package io.bitvision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import io.bitvision.engine.face.DetectedFace;
import io.bitvision.engine.model.ModelFormatException;
import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.WatchlistOp;
import io.bitvision.schemas.WatchlistUpdate;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code enroll}: puts an identity on the watchlist, or takes it off. Each image's largest face is detected,
 * aligned and embedded as the job does it; the identity's {@link WatchlistUpdate} (all its embeddings, the
 * embedder's model id) goes into a local watchlist file ({@code --watchlist}, what {@code faces} reads) or is
 * published, Avro-encoded and keyed by identity, to the job's watchlist topic ({@code --bootstrap}). Embeddings are
 * never printed.
 */
@Command(name = "enroll", sortOptions = false,
        description = {"Put an identity on the watchlist (each image's largest face) or take it off (--delete): into a "
                + "watchlist file (--watchlist) or published to the job's watchlist topic (--bootstrap).",
                "Embeddings are never printed; the images are neither stored nor published."})
public final class EnrollCommand extends CliCommand {
    /** The topic {@code enroll --bootstrap} publishes to when no --topic is given; run the job with the same. */
    static final String DEFAULT_TOPIC = "bitvision.watchlist";
    /** Producer settings enroll makes itself: every update is written once, acknowledged by all in-sync replicas. */
    private static final Set<String> FIXED_PRODUCER_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    /** Not picocli's standard help mixin: its --version would take the place of the identity's --version. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--id", required = true, paramLabel = "ID")
    String id;

    @Option(names = "--image", paramLabel = "IMAGE", description = "A photo of the person (repeat for more).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--face-index", paramLabel = "N", defaultValue = "0",
            description = "Which face of each image: 0 = the largest (default), 1 = the next largest, ... (enroll "
                    + "lists them when there are several).")
    int faceIndex;

    @Option(names = "--name", paramLabel = "NAME")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "Default: above the file's, or the time in ms.")
    Long version;

    @Option(names = "--delete", description = "Take the identity off the watchlist.")
    boolean delete;

    @Mixin
    FaceModelOptions models = new FaceModelOptions();

    @Option(names = "--watchlist", paramLabel = "FILE", description = "Write into this watchlist file.")
    Path watchlist;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Publish to the job's watchlist topic.")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "T", description = "Default: " + DEFAULT_TOPIC + ".")
    String topic;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "TLS/SASL settings of the producer.")
    List<String> producerSettings = new ArrayList<>();

    /** @return the exit status: 0 done, 1 a model, image, watchlist or broker could not be used, 2 bad arguments */
    @Override
    public Integer call() throws IOException {
        return run(options(), out, err);
    }

    Options options() {
        Properties producer;
        try {
            producer = ClientProperties.of("--producer-property", producerSettings);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        for (String key : producer.stringPropertyNames()) {
            if (FIXED_PRODUCER_KEYS.contains(key)) {
                throw usageError("--producer-property " + key + ": enroll sets it itself "
                        + "(acks=all, idempotence on, byte-array key and value; --bootstrap for the servers)");
            }
        }
        if (id.isBlank()) {
            throw usageError("--id is blank");
        }
        if ((watchlist == null) == (bootstrap == null)) {
            throw usageError("give one of --watchlist FILE and --bootstrap HOST:PORT");
        }
        if (bootstrap == null && (topic != null || !producer.isEmpty())) {
            throw usageError("--topic and --producer-property go with --bootstrap");
        }
        if (delete && (!images.isEmpty() || name != null || models.detector != null || models.faceModel != null)) {
            throw usageError("--delete takes no --image, --name or face model");
        }
        if (!delete && images.isEmpty()) {
            throw usageError("give at least one --image (or --delete)");
        }
        if (topic != null && topic.isBlank()) {
            throw usageError("--topic is blank");
        }
        if (version != null && version < 0) {
            throw usageError("--version must not be negative, got " + version);
        }
        if (faceIndex < 0) {
            throw usageError("--face-index counts faces from 0 (the largest), got " + faceIndex);
        }
        if (delete && faceIndex != 0) {
            throw usageError("--delete takes no --face-index");
        }
        return new Options(id, List.copyOf(images), name, version, delete, models.detector, models.faceModel, watchlist,
                bootstrap, topic != null ? topic : DEFAULT_TOPIC, producer, models.modelsDir, faceIndex, models.faceTiles);
    }

    record Options(String id, List<Path> images, String name, Long version, boolean delete, Path detector,
                   Path faceModel, Path watchlist, String bootstrap, String topic, Properties producerProperties,
                   Path modelsDir, int faceIndex, int faceTiles) {}

    /** An image without a usable face: nothing is enrolled. */
    static final class NoFaceException extends Exception {
        private static final long serialVersionUID = 1L;

        NoFaceException(String message) {
            super(message);
        }
    }

    /** @return the exit status: 0 done, 1 a model, image, watchlist or broker could not be used, 2 bad arguments */
    static int run(Options options, PrintStream out, PrintStream err) throws IOException {
        try {
            // The file and the version first: a watchlist that cannot take the update fails before the models run.
            Map<String, WatchlistUpdate> state = null;
            long version;
            if (options.watchlist() != null) {
                state = WatchlistFile.readOrEmpty(options.watchlist());
                version = versionAbove(options.version(), state.get(options.id()), options.id(), options.watchlist());
            } else {
                version = options.version() != null ? options.version() : System.currentTimeMillis();
            }
            WatchlistUpdate update;
            if (options.delete()) {
                update = WatchlistFile.delete(options.id(), version);
            } else {
                FrameFaceDetector detector = FaceModels.detector(options.detector(), options.modelsDir(), options.faceTiles());
                FaceEmbedder embedder = FaceModels.embedder(options.faceModel(), options.modelsDir());
                List<float[]> embeddings = new ArrayList<>();
                for (Path image : options.images()) {
                    embeddings.add(embedFace(detector, embedder, ImageFiles.readRgb(image), image.toString(),
                            options.faceIndex(), out));
                }
                update = WatchlistFile.upsert(options.id(), version, embeddings, embedder.id(), options.name());
            }
            if (state != null) {
                writeFile(options.watchlist(), state, update, out);
            } else {
                RecordMetadata published = publish(options.bootstrap(), options.topic(), options.producerProperties(),
                        update);
                out.printf(Locale.ROOT, "%s -> published to %s partition %d offset %d (%s)%n", describe(update),
                        published.topic(), published.partition(), published.offset(), options.bootstrap());
            }
            return 0;
        } catch (MissingFaceModelException | UnreadableImageException | WatchlistFile.MalformedWatchlistException e) {
            err.println("enroll: " + e.getMessage());
            return 1;
        } catch (NoFaceException e) {
            err.println("enroll: " + e.getMessage() + "; nothing enrolled");
            return 1;
        } catch (ModelFormatException e) {
            err.println("enroll: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | PublishException e) {
            err.println("enroll: " + e.getMessage());
            return 1;
        }
    }

    /** The embedding of the image's largest face (by box area); says which face it took. */
    static float[] embedLargest(FrameFaceDetector detector, FaceEmbedder embedder, Path image, PrintStream out)
            throws UnreadableImageException, NoFaceException {
        return embedFace(detector, embedder, ImageFiles.readRgb(image), image.toString(), 0, out);
    }

    /** The same for an image already decoded; {@code image} names it in messages. */
    static float[] embedLargest(FrameFaceDetector detector, FaceEmbedder embedder, BufferedImage decoded, String image,
                                PrintStream out) throws NoFaceException {
        return embedFace(detector, embedder, decoded, image, 0, out);
    }

    /**
     * The embedding of the image's face number {@code faceIndex}, counted from the largest (0) by box area; with
     * several faces it lists them all with their numbers and says which one it took.
     */
    static float[] embedFace(FrameFaceDetector detector, FaceEmbedder embedder, BufferedImage decoded, String image,
                             int faceIndex, PrintStream out) throws NoFaceException {
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        byte[] rgb = ImageFiles.rgbBytes(decoded);
        List<DetectedFace> faces = new ArrayList<>(detector.detect(rgb, height, width));
        if (faces.isEmpty()) {
            throw new NoFaceException(image + ": no face found by " + detector.id() + " (each image must show the "
                    + "person's face)");
        }
        faces.sort(java.util.Comparator.comparingDouble(FaceModels::area).reversed());
        if (faceIndex >= faces.size()) {
            throw new NoFaceException(image + ": --face-index " + faceIndex + " but " + detector.id() + " found "
                    + faces.size() + " face" + (faces.size() == 1 ? "" : "s") + " (numbered from 0, largest first)");
        }
        DetectedFace face = faces.get(faceIndex);
        String which = faceIndex == 0 ? "the largest" : "face " + faceIndex;
        float[] embedding;
        try {
            embedding = FaceModels.embed(embedder, rgb, height, width, face);
        } catch (IllegalArgumentException e) {
            throw new NoFaceException(image + ": " + which + " " + FaceModels.describe(face)
                    + " has landmarks that cannot be aligned (" + e.getMessage() + ")");
        }
        if (faces.size() > 1) {
            for (int i = 0; i < faces.size(); i++) {
                out.printf(Locale.ROOT, "%s: face %d: %s%s%n", image, i, FaceModels.describe(faces.get(i)),
                        i == faceIndex ? "  <- enrolled" : "");
            }
        }
        out.printf(Locale.ROOT, "%s: %d face%s, enrolling %s: box %s%n", image, faces.size(),
                faces.size() == 1 ? "" : "s", which, FaceModels.describe(face));
        return embedding;
    }

    private static void writeFile(Path file, Map<String, WatchlistUpdate> state, WatchlistUpdate update,
                                  PrintStream out) throws IOException {
        WatchlistUpdate current = state.get(update.getIdentityId());
        if (update.getOp() == WatchlistOp.DELETE && (current == null || current.getOp() == WatchlistOp.DELETE)) {
            out.println("enroll: '" + update.getIdentityId() + "' is not on " + file + "; recording the delete anyway");
        }
        WatchlistFile.apply(state, update);
        WatchlistFile.write(file, state.values());
        Map<String, Integer> counts = WatchlistFile.counts(state);
        out.println(describe(update) + " -> " + file + " (" + counts.get("enrolled") + " identities enrolled, "
                + counts.get("deleted") + " deleted)");
    }

    /** The update's version: --version (which must supersede the file's), else now in ms, kept above the file's. */
    private static long versionAbove(Long given, WatchlistUpdate current, String id, Path file) {
        long floor = current == null ? Long.MIN_VALUE : current.getVersion();
        if (given != null) {
            if (given <= floor) {
                throw new IllegalArgumentException(file + " holds '" + id + "' at version " + floor + " ("
                        + current.getOp() + "); an update at --version " + given + " would be ignored: give a higher one");
            }
            return given;
        }
        return Math.max(System.currentTimeMillis(), floor == Long.MIN_VALUE ? 0 : floor + 1);
    }

    /** What was written, without the embeddings. */
    static String describe(WatchlistUpdate update) {
        if (update.getOp() == WatchlistOp.DELETE) {
            return String.format(Locale.ROOT, "enroll: DELETE '%s' version %d", update.getIdentityId(), update.getVersion());
        }
        return String.format(Locale.ROOT, "enroll: UPSERT '%s'%s version %d, %d embedding%s of %d values, model %s",
                update.getIdentityId(), update.getDisplayName() == null ? "" : " (" + update.getDisplayName() + ")",
                update.getVersion(), update.getEmbeddings().size(), update.getEmbeddings().size() == 1 ? "" : "s",
                update.getEmbeddings().getFirst().size(), update.getModelId());
    }

    /** The broker did not take the update; the message says which broker and topic, and why. */
    static final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Publishes one update (key identity_id, value its Avro encoding) with acks=all and idempotence, and waits for
     * the broker's acknowledgement. {@code extra} (TLS, SASL, client.id, timeouts) comes first; enroll's own
     * settings cannot be overridden.
     */
    static RecordMetadata publish(String bootstrap, String topic, Properties extra, WatchlistUpdate update)
            throws PublishException {
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bitvision-enroll");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.putAll(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String where = topic + " on " + bootstrap;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            return producer.send(new ProducerRecord<>(topic, update.getIdentityId().getBytes(StandardCharsets.UTF_8),
                    AvroRecords.encode(update))).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PublishException("publishing to " + where + " failed: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage(), cause);
        } catch (KafkaException e) {
            throw new PublishException("publishing to " + where + " failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing to " + where, e);
        }
    }
}
