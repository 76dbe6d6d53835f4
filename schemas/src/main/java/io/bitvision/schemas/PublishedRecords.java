package io.bitvision.schemas;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The top-level records bitvision writes to or reads from Kafka. Each one has a released baseline under
 * {@code src/test/resources/released/} and a line in {@code FINGERPRINTS.md}, both checked by the tests.
 */
public final class PublishedRecords {
    public static final List<Schema> SCHEMAS = List.of(
            FrameMasks.getClassSchema(),
            FaceMatch.getClassSchema(),
            WatchlistUpdate.getClassSchema(),
            CameraHealth.getClassSchema(),
            DeadLetter.getClassSchema(),
            CameraActivity.getClassSchema(),
            FramePreview.getClassSchema());

    private PublishedRecords() {
    }
}
