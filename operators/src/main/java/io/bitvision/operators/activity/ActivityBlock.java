package io.bitvision.operators.activity;

import io.bitvision.schemas.CameraActivity;
import java.time.Instant;
import java.util.Arrays;

/**
 * The open block of one camera: what has been counted of frames {@code index * size} to {@code (index + 1) * size - 1}
 * so far. Keyed state of {@link CameraActivityFunction}; a Flink POJO, so a later version may add fields. The block
 * keeps its own size: a job restored with another block size closes it as it was counted.
 */
public class ActivityBlock {
    public long index;
    public int size;
    public int framesProcessed;
    public int framesDropped;
    public int framesWithPeople;
    public int maxPeople;
    public long instances;
    /** Distinct track ids seen in the block, sorted. */
    public long[] tracks = new long[0];
    public long startCaptureTimeMs;
    public long endCaptureTimeMs;
    public String modelId;

    public ActivityBlock() {}

    static ActivityBlock open(long index, int size) {
        ActivityBlock b = new ActivityBlock();
        b.index = index;
        b.size = size;
        return b;
    }

    long firstFrameSeq() {
        return index * size;
    }

    /** One past the block's last frame number. */
    long endFrameSeq() {
        return index * size + size;
    }

    void addProcessed(FrameSummary frame) {
        if (framesProcessed == 0) {
            startCaptureTimeMs = frame.captureTimeMs;
        }
        framesProcessed++;
        endCaptureTimeMs = frame.captureTimeMs;
        int people = frame.trackIds.length;
        instances += people;
        maxPeople = Math.max(maxPeople, people);
        if (people > 0) {
            framesWithPeople++;
        }
        modelId = frame.modelId;
        for (long track : frame.trackIds) {
            int at = Arrays.binarySearch(tracks, track);
            if (at < 0) {
                int insert = -at - 1;
                long[] grown = new long[tracks.length + 1];
                System.arraycopy(tracks, 0, grown, 0, insert);
                grown[insert] = track;
                System.arraycopy(tracks, insert, grown, insert + 1, tracks.length - insert);
                tracks = grown;
            }
        }
    }

    CameraActivity toRecord(String cameraId) {
        return CameraActivity.newBuilder()
                .setCameraId(cameraId)
                .setFirstFrameSeq(firstFrameSeq())
                .setLastFrameSeq(endFrameSeq() - 1)
                .setFramesProcessed(framesProcessed)
                .setFramesDropped(framesDropped)
                .setFramesWithPeople(framesWithPeople)
                .setMaxPeople(maxPeople)
                .setMeanPeople(framesProcessed == 0 ? 0f : (float) instances / framesProcessed)
                .setDistinctTracks(tracks.length)
                .setStartCaptureTimeMs(Instant.ofEpochMilli(startCaptureTimeMs))
                .setEndCaptureTimeMs(Instant.ofEpochMilli(endCaptureTimeMs))
                .setModelId(modelId)
                .build();
    }
}
