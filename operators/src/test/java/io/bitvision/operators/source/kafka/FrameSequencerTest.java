package io.bitvision.operators.source.kafka;

import io.bitvision.operators.source.CameraRecord;
import io.bitvision.operators.source.CameraRecord.CaptureTimeSource;
import io.bitvision.operators.source.CameraRecord.ErrorType;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** FrameSequencer in Flink's operator test harness, with a real state backend, snapshot and restore. */
class FrameSequencerTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, CameraRecord, CameraRecord> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FrameSequencer()),
                r -> r.cameraId, Types.STRING);
    }

    private static CameraRecord kafkaFrame(String camera) {
        CameraRecord r = CameraRecord.frame(camera, -1, 1000, CaptureTimeSource.STREAM_WALLCLOCK, 1000, 1, 1,
                new byte[3]);
        r.sourceTopic = "camera-jpeg";
        return r;
    }

    private static CameraRecord kafkaDeadLetter(String camera, long offset) {
        CameraRecord r = CameraRecord.deadLetter(camera, ErrorType.CORRUPT_FRAME, "bad", "kafka://camera-jpeg/0",
                offset, 1000);
        r.sourceTopic = "camera-jpeg";
        return r;
    }

    private static List<String> seqs(List<CameraRecord> records) {
        return records.stream().map(r -> r.cameraId + ":" + r.kind + ":" + r.frameSeq).toList();
    }

    @Test
    void numbersEachCamerasFramesFromZeroAndPassesEverythingElse() throws Exception {
        CameraRecord videoFrame = CameraRecord.frame("video", 0, 1000, CaptureTimeSource.STREAM_PTS, 1000, 1, 1,
                new byte[3]);
        videoFrame.frameSeq = 17;
        CameraRecord health = CameraRecord.health("video", CameraRecord.State.STREAMING, null, 0, 1, 0, 10, 1000);
        try (var h = harness()) {
            h.open();
            h.processElement(kafkaFrame("a"), 1);
            h.processElement(kafkaFrame("b"), 1);
            h.processElement(kafkaDeadLetter("a", 9), 1);
            h.processElement(kafkaFrame("a"), 1);
            h.processElement(videoFrame, 1);
            h.processElement(health, 1);
            h.processElement(kafkaFrame("a"), 1);
            h.processElement(kafkaFrame("b"), 1);

            assertThat(seqs(h.extractOutputValues())).containsExactly(
                    "a:FRAME:0", "b:FRAME:0", "a:DEAD_LETTER:-1", "a:FRAME:1", "video:FRAME:17",
                    "video:HEALTH:-1", "a:FRAME:2", "b:FRAME:1");
        }
    }

    @Test
    void numberingContinuesAfterARestoreFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var before = harness()) {
            before.open();
            for (int i = 0; i < 3; i++) {
                before.processElement(kafkaFrame("a"), i);
            }
            before.processElement(kafkaFrame("b"), 3);
            snapshot = before.snapshot(1L, 10L);
            // After the checkpoint: lost in the failure, so numbered again after the restore.
            before.processElement(kafkaFrame("a"), 4);
        }
        try (var after = harness()) {
            after.initializeState(snapshot);
            after.open();
            after.processElement(kafkaFrame("a"), 5);
            after.processElement(kafkaFrame("b"), 6);
            after.processElement(kafkaFrame("c"), 7);

            assertThat(seqs(after.extractOutputValues())).containsExactly("a:FRAME:3", "b:FRAME:1", "c:FRAME:0");
        }
    }
}
