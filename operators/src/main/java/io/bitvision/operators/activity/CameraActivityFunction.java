package io.bitvision.operators.activity;

import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.schemas.AvroRecords;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts people per camera over blocks of {@code blockFrames} consecutive frame numbers and emits one
 * {@code CameraActivity} record per block. Blocks follow the frame numbers, not the clock or arrival, so a replay
 * after a failure counts the same blocks the same way: with the exactly-once sink every block is published once.
 *
 * <p>A block is emitted as soon as its last frame is processed, or when the camera's first frame of a later block
 * arrives (its last frames were dropped), or of another block after a restore with a different block size. Dropped frames count in
 * the block their number falls in. A block none of whose frames was processed is not emitted, nor is the open block
 * of a camera that sends no more frames (a finished file's last, partial block).
 */
public class CameraActivityFunction extends KeyedProcessFunction<String, FrameSummary, OutboundRecord> {
    private final String topic;
    private final int blockFrames;
    private transient ValueState<ActivityBlock> open;

    public CameraActivityFunction(String topic, int blockFrames) {
        this.topic = Objects.requireNonNull(topic, "topic");
        if (blockFrames < 1) {
            throw new IllegalArgumentException("blockFrames must be at least 1, was " + blockFrames);
        }
        this.blockFrames = blockFrames;
    }

    @Override
    public void open(OpenContext openContext) {
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("activity-block", ActivityBlock.class));
    }

    @Override
    public void processElement(FrameSummary frame, Context context, Collector<OutboundRecord> out) throws Exception {
        long index = frame.frameSeq / blockFrames;
        ActivityBlock block = open.value();
        if (block != null && (block.index != index || block.size != blockFrames)) {
            if (frame.frameSeq >= block.endFrameSeq()) {
                block.framesDropped += droppedWithin(frame, block);
            }
            emit(block, frame.cameraId, out);
            block = null;
        }
        if (block == null) {
            block = ActivityBlock.open(index, blockFrames);
        }
        block.framesDropped += droppedWithin(frame, block);
        block.addProcessed(frame);
        if (frame.frameSeq == block.endFrameSeq() - 1) {
            emit(block, frame.cameraId, out);
            open.clear();
        } else {
            open.update(block);
        }
    }

    /** How many of the frames dropped just before {@code frame} have numbers in {@code block}. */
    private static int droppedWithin(FrameSummary frame, ActivityBlock block) {
        long from = Math.max(frame.frameSeq - frame.droppedSinceLast, block.firstFrameSeq());
        long to = Math.min(frame.frameSeq, block.endFrameSeq());
        return (int) Math.max(0, to - from);
    }

    private void emit(ActivityBlock block, String cameraId, Collector<OutboundRecord> out) {
        out.collect(new OutboundRecord(topic, cameraId.getBytes(StandardCharsets.UTF_8),
                AvroRecords.encode(block.toRecord(cameraId)), block.endCaptureTimeMs));
    }
}
