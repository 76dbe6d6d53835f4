package io.bitvision.cli.consume;

import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraHealth;
import io.bitvision.schemas.DeadLetter;
import io.bitvision.schemas.FaceMatch;
import io.bitvision.schemas.FrameMasks;
import io.bitvision.schemas.WatchlistUpdate;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Turns one single-object encoded record into a JSON line, finding its type by the schema fingerprint. */
public final class RecordJson {
    private static final Map<Long, Class<? extends SpecificRecord>> TYPES = Map.of(
            AvroRecords.fingerprint(FrameMasks.getClassSchema()), FrameMasks.class,
            AvroRecords.fingerprint(CameraHealth.getClassSchema()), CameraHealth.class,
            AvroRecords.fingerprint(DeadLetter.getClassSchema()), DeadLetter.class,
            AvroRecords.fingerprint(FaceMatch.getClassSchema()), FaceMatch.class,
            AvroRecords.fingerprint(WatchlistUpdate.getClassSchema()), WatchlistUpdate.class);

    private RecordJson() {}

    public static String toJson(byte[] message) {
        Class<? extends SpecificRecord> type = TYPES.get(AvroRecords.fingerprintOf(message));
        if (type == null) {
            return "{\"error\": \"unknown schema fingerprint " + AvroRecords.hex(AvroRecords.fingerprintOf(message)) + "\"}";
        }
        return AvroRecords.decode(message, type).toString();
    }
}
