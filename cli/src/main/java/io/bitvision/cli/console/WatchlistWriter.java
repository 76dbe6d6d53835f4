package io.bitvision.cli.console;

import io.bitvision.cli.PhotoEnrolment;
import io.bitvision.schemas.WatchlistUpdate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The console's writes: enrol an identity from an uploaded photo or delete it, published to the job's watchlist
 * topic exactly as {@code enroll --bootstrap} does. Versions come from what the console has read (an update must
 * supersede the identity's last one); a published update is folded into the state at once, so the next write sees it.
 * Writes run one at a time: the face models are not thread-safe, and version, publish and fold must not interleave.
 */
final class WatchlistWriter {
    private final PhotoEnrolment enrolment; // null: enrolment unavailable, see whyUnavailable
    private final String whyUnavailable;
    private final String bootstrap;
    private final String topic;
    private final Properties clientProperties;
    private final FleetState state;

    WatchlistWriter(PhotoEnrolment enrolment, String whyUnavailable, String bootstrap, String topic,
                    Properties clientProperties, FleetState state) {
        this.enrolment = enrolment;
        this.whyUnavailable = whyUnavailable;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.clientProperties = clientProperties;
        this.state = state;
    }

    /** Null when photos can be enrolled, else why not (a missing face model, named). */
    String whyEnrolmentUnavailable() {
        return enrolment == null ? whyUnavailable : null;
    }

    String faceModel() {
        return enrolment == null ? null : enrolment.modelId();
    }

    /** What happened, in a line for the operator (which face was taken). */
    record Outcome(WatchlistUpdate update, String message) {}

    synchronized Outcome enrol(String id, String displayName, byte[] photo, String photoName) throws PhotoEnrolment.EnrolmentException {
        if (enrolment == null) {
            throw new PhotoEnrolment.EnrolmentException("enrolment is off: " + whyUnavailable, null);
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        WatchlistUpdate update;
        try (PrintStream log = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            update = enrolment.upsert(id, displayName, state.nextVersion(id, System.currentTimeMillis()), photo,
                    photoName, log);
        }
        PhotoEnrolment.publish(bootstrap, topic, clientProperties, update);
        state.watchlist(update);
        return new Outcome(update, said.toString(StandardCharsets.UTF_8).strip());
    }

    synchronized Outcome delete(String id) throws PhotoEnrolment.EnrolmentException {
        WatchlistUpdate update = PhotoEnrolment.delete(id, state.nextVersion(id, System.currentTimeMillis()));
        PhotoEnrolment.publish(bootstrap, topic, clientProperties, update);
        state.watchlist(update);
        return new Outcome(update, "deleted '" + id + "' at version " + update.getVersion());
    }
}
