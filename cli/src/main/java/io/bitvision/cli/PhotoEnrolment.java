package io.bitvision.cli;

import io.bitvision.operators.faces.FaceEmbedder;
import io.bitvision.operators.faces.FrameFaceDetector;
import io.bitvision.schemas.WatchlistUpdate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code enroll}'s code path for callers outside a command (the console): a photo held in memory is decoded, its
 * largest face detected, aligned and embedded, and the identity's {@link WatchlistUpdate} published. The photo is
 * neither stored nor published; only the embedding leaves this class.
 */
public final class PhotoEnrolment {
    private final FrameFaceDetector detector;
    private final FaceEmbedder embedder;

    private PhotoEnrolment(FrameFaceDetector detector, FaceEmbedder embedder) {
        this.detector = detector;
        this.embedder = embedder;
    }

    /** Why an enrolment did not happen, in words for the operator (missing model, no face, unreadable photo). */
    public static final class EnrolmentException extends Exception {
        private static final long serialVersionUID = 1L;

        public EnrolmentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The shipped models in {@code modelsDir} unless {@code detectorFile}/{@code embedderFile} are given.
     *
     * @throws EnrolmentException naming the file that is missing or not a face model
     */
    public static PhotoEnrolment load(Path detectorFile, Path embedderFile, Path modelsDir) throws EnrolmentException {
        try {
            return new PhotoEnrolment(FaceModels.detector(detectorFile, modelsDir),
                    FaceModels.embedder(embedderFile, modelsDir));
        } catch (IOException | IllegalArgumentException e) {
            throw new EnrolmentException(e.getMessage(), e);
        }
    }

    /** The face model the embeddings come from; the job matches only embeddings of its own model. */
    public String modelId() {
        return embedder.id();
    }

    public String detectorId() {
        return detector.id();
    }

    /** The UPSERT for {@code id} from the largest face in {@code photo} (PNG or JPEG bytes); says which face it took. */
    public WatchlistUpdate upsert(String id, String displayName, long version, byte[] photo, String photoName,
                                  PrintStream log) throws EnrolmentException {
        try {
            float[] embedding = EnrollCommand.embedLargest(detector, embedder, ImageFiles.readRgb(photo, photoName),
                    photoName, log);
            return WatchlistFile.upsert(id, version, List.of(embedding), embedder.id(), displayName);
        } catch (UnreadableImageException e) {
            throw new EnrolmentException(e.getMessage(), e);
        } catch (EnrollCommand.NoFaceException e) {
            throw new EnrolmentException(e.getMessage() + "; nothing enrolled", e);
        }
    }

    public static WatchlistUpdate delete(String id, long version) {
        return WatchlistFile.delete(id, version);
    }

    /** Publishes as {@code enroll --bootstrap} does: acks=all, idempotent, keyed by identity; waits for the ack. */
    public static RecordMetadata publish(String bootstrap, String topic, Properties clientProperties,
                                         WatchlistUpdate update) throws EnrolmentException {
        try {
            return EnrollCommand.publish(bootstrap, topic, clientProperties, update);
        } catch (EnrollCommand.PublishException e) {
            throw new EnrolmentException(e.getMessage(), e);
        }
    }

    /** The default watchlist topic of {@code enroll} and the job's examples. */
    public static String defaultTopic() {
        return EnrollCommand.DEFAULT_TOPIC;
    }
}
