package io.bitvision.operators.source.testing;

import io.bitvision.operators.source.CameraRecord;
import org.apache.flink.api.common.functions.MapFunction;

/** Checks a frame's pixel array has {@code width*height*3} bytes, then drops it so collected output stays small. */
public final class StripPixels implements MapFunction<CameraRecord, CameraRecord> {
    @Override
    public CameraRecord map(CameraRecord record) {
        if (record.kind == CameraRecord.Kind.FRAME) {
            if (record.rgb == null || record.rgb.length != record.width * record.height * 3) {
                throw new IllegalStateException("bad pixel array in " + record);
            }
            record.rgb = null;
        }
        return record;
    }
}
