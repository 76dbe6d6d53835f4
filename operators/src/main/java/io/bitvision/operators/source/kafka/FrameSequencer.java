package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.CameraRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by camera id: numbers the FRAME records of the Kafka ingest (those with a {@code sourceTopic})
 * 0, 1, 2, ... per camera in arrival order, with no gaps (dead letters take no number; their {@code position} is
 * the Kafka offset). The next number is keyed state, so numbering continues over checkpoints, restores and
 * rescaling. Every other record (health, dead letters, frames of video cameras, which the video source numbers
 * itself) passes through unchanged.
 *
 * <p>Arrival order is the camera's order in Kafka as long as each camera's records share one partition, which
 * keying by camera id gives.
 */
public final class FrameSequencer extends KeyedProcessFunction<String, CameraRecord, CameraRecord> {
    private static final long serialVersionUID = 1L;

    /** Name of the keyed state holding the camera's next frame number. */
    public static final String STATE_NAME = "next-frame-seq";

    private transient ValueState<Long> nextSeq;

    @Override
    public void open(OpenContext openContext) {
        nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, Types.LONG));
    }

    @Override
    public void processElement(CameraRecord record, Context context, Collector<CameraRecord> out) throws Exception {
        if (record.kind == CameraRecord.Kind.FRAME && record.sourceTopic != null) {
            Long next = nextSeq.value();
            long seq = next == null ? 0 : next;
            record.frameSeq = seq;
            nextSeq.update(seq + 1);
        }
        out.collect(record);
    }
}
