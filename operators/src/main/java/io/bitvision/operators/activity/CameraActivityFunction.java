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
 * arrives (its last frames were dropped, or the camera restarted its numbering past them). Dropped frames count in
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
        if (block != null && block.index != index) {
            if (block.index < index) {
                block.framesDropped += droppedWithin(frame, block.index);
            }
            emit(block, frame.cameraId, out);
            block = null;
        }
        if (block == null) {
            block = ActivityBlock.open(index);
        }
        block.framesDropped += droppedWithin(frame, index);
        block.addProcessed(frame);
        if (frame.frameSeq == index * blockFrames + blockFrames - 1) {
            emit(block, frame.cameraId, out);
            open.clear();
        } else {
            open.update(block);
        }
    }

    /** How many of the frames dropped just before {@code frame} have numbers in block {@code index}. */
    private int droppedWithin(FrameSummary frame, long index) {
        long from = Math.max(frame.frameSeq - frame.droppedSinceLast, index * blockFrames);
        long to = Math.min(frame.frameSeq, index * blockFrames + blockFrames);
        return (int) Math.max(0, to - from);
    }

    private void emit(ActivityBlock block, String cameraId, Collector<OutboundRecord> out) {
        out.collect(new OutboundRecord(topic, cameraId.getBytes(StandardCharsets.UTF_8),
                AvroRecords.encode(block.toRecord(cameraId, blockFrames)), block.endCaptureTimeMs));
    }
}
