package io.bitvision.cli;

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
final class EnrollCommand {
    /** The topic {@code enroll --bootstrap} publishes to when no --topic is given; run the job with the same. */
    static final String DEFAULT_TOPIC = "bitvision.watchlist";
    static final String USAGE = """
            usage: ./bitvision enroll --id ID --image IMAGE [--image IMAGE ...] [--name NAME] [--version V]
                                      [--face-detector M.bvm] [--face-model M.bvm|M.onnx] SINK
                   ./bitvision enroll --id ID --delete [--version V] SINK
              SINK: --watchlist FILE
                  | --bootstrap HOST:PORT [--topic T (default %s)] [--producer-property KEY=VALUE ...]"""
            .formatted(DEFAULT_TOPIC);
    /** Producer settings enroll makes itself: every update is written once, acknowledged by all in-sync replicas. */
    private static final Set<String> FIXED_PRODUCER_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    record Options(String id, List<Path> images, String name, Long version, boolean delete, Path detector,
                   Path faceModel, Path watchlist, String bootstrap, String topic, Properties producerProperties) {
        static Options parse(String[] args) {
            String id = null;
            List<Path> images = new ArrayList<>();
            String name = null;
            Long version = null;
            boolean delete = false;
            Path detector = null;
            Path faceModel = null;
            Path watchlist = null;
            String bootstrap = null;
            String topic = null;
            Properties producer = new Properties();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--delete")) {
                    delete = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--id" -> id = value;
                    case "--image" -> images.add(Path.of(value));
                    case "--name" -> name = value;
                    case "--version" -> version = version(value);
                    case "--face-detector" -> detector = Path.of(value);
                    case "--face-model" -> faceModel = Path.of(value);
                    case "--watchlist" -> watchlist = Path.of(value);
                    case "--bootstrap" -> bootstrap = value;
                    case "--topic" -> topic = value;
                    case "--producer-property" -> {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--producer-property takes KEY=VALUE, got '" + value + "'");
                        }
                        String key = value.substring(0, eq);
                        if (FIXED_PRODUCER_KEYS.contains(key)) {
                            throw new IllegalArgumentException("--producer-property " + key + ": enroll sets it itself "
                                    + "(acks=all, idempotence on, byte-array key and value; --bootstrap for the servers)");
                        }
                        producer.setProperty(key, value.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("--id is required");
            }
            if ((watchlist == null) == (bootstrap == null)) {
                throw new IllegalArgumentException("give one of --watchlist FILE and --bootstrap HOST:PORT");
            }
            if (bootstrap == null && (topic != null || !producer.isEmpty())) {
                throw new IllegalArgumentException("--topic and --producer-property go with --bootstrap");
            }
            if (delete && (!images.isEmpty() || name != null || detector != null || faceModel != null)) {
                throw new IllegalArgumentException("--delete takes no --image, --name or face model");
            }
            if (!delete && images.isEmpty()) {
                throw new IllegalArgumentException("give at least one --image (or --delete)");
            }
            if (topic != null && topic.isBlank()) {
                throw new IllegalArgumentException("--topic is blank");
            }
            return new Options(id, List.copyOf(images), name, version, delete, detector, faceModel, watchlist,
                    bootstrap, topic != null ? topic : DEFAULT_TOPIC, producer);
        }

        private static long version(String value) {
            long v;
            try {
                v = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--version takes a whole number, got '" + value + "'");
            }
            if (v < 0) {
                throw new IllegalArgumentException("--version must not be negative, got " + value);
            }
            return v;
        }
    }

    /** An image without a usable face: nothing is enrolled. */
    static final class NoFaceException extends Exception {
        private static final long serialVersionUID = 1L;

        NoFaceException(String message) {
            super(message);
        }
    }

    private EnrollCommand() {}

    /** @return the exit status: 0 done, 1 a model, image, watchlist or broker could not be used, 2 bad arguments */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("enroll: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
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
                FrameFaceDetector detector = FaceModels.detector(options.detector());
                FaceEmbedder embedder = FaceModels.embedder(options.faceModel());
                List<float[]> embeddings = new ArrayList<>();
                for (Path image : options.images()) {
                    embeddings.add(embedLargest(detector, embedder, image, out));
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
        BufferedImage decoded = ImageFiles.readRgb(image);
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        byte[] rgb = ImageFiles.rgbBytes(decoded);
        List<DetectedFace> faces = detector.detect(rgb, height, width);
        if (faces.isEmpty()) {
            throw new NoFaceException(image + ": no face found by " + detector.id() + " (each image must show the "
                    + "person's face)");
        }
        DetectedFace face = FaceModels.largest(faces);
        float[] embedding;
        try {
            embedding = FaceModels.embed(embedder, rgb, height, width, face);
        } catch (IllegalArgumentException e) {
            throw new NoFaceException(image + ": the largest face " + FaceModels.describe(face)
                    + " has landmarks that cannot be aligned (" + e.getMessage() + ")");
        }
        out.printf(Locale.ROOT, "%s: %d face%s, enrolling the largest: box %s%n", image, faces.size(),
                faces.size() == 1 ? "" : "s", FaceModels.describe(face));
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
