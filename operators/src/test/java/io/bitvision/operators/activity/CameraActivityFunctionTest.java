package io.bitvision.operators.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.operators.kafka.OutboundRecord;
import io.bitvision.schemas.AvroRecords;
import io.bitvision.schemas.CameraActivity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CameraActivityFunctionTest {
    private static final String TOPIC = "activity";

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameSummary, OutboundRecord> harness(int block)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CameraActivityFunction(TOPIC, block)),
                (FrameSummary f) -> f.cameraId, Types.STRING);
        return h;
    }

    private static FrameSummary frame(String camera, long seq, int dropped, long... tracks) {
        return new FrameSummary(camera, seq, dropped, 1_000_000 + seq * 100, tracks, "model-x");
    }

    private static List<CameraActivity> blocks(List<OutboundRecord> out) {
        for (OutboundRecord r : out) {
            assertThat(r.topic).isEqualTo(TOPIC);
        }
        return out.stream().map(r -> AvroRecords.decode(r.value, CameraActivity.class)).toList();
    }

    @Test
    void aBlockIsEmittedAtItsLastFrameWithItsCounts() throws Exception {
        try (var h = harness(5)) {
            h.open();
            h.processElement(frame("door", 0, 0), 0);
            h.processElement(frame("door", 1, 0, 7), 0);
            h.processElement(frame("door", 2, 0, 7, 8, 9), 0);
            h.processElement(frame("door", 3, 0, 8), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(frame("door", 4, 0, 7, 8), 0);
            List<OutboundRecord> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(new String(out.get(0).key, StandardCharsets.UTF_8)).isEqualTo("door");
            assertThat(out.get(0).timestampMs).isEqualTo(1_000_400);
            CameraActivity block = blocks(out).get(0);
            assertThat(block.getCameraId()).isEqualTo("door");
            assertThat(block.getFirstFrameSeq()).isZero();
            assertThat(block.getLastFrameSeq()).isEqualTo(4);
            assertThat(block.getFramesProcessed()).isEqualTo(5);
            assertThat(block.getFramesDropped()).isZero();
            assertThat(block.getFramesWithPeople()).isEqualTo(4);
            assertThat(block.getMaxPeople()).isEqualTo(3);
            assertThat(block.getMeanPeople()).isEqualTo(7f / 5);
            assertThat(block.getDistinctTracks()).isEqualTo(3);
            assertThat(block.getStartCaptureTimeMs()).isEqualTo(Instant.ofEpochMilli(1_000_000));
            assertThat(block.getEndCaptureTimeMs()).isEqualTo(Instant.ofEpochMilli(1_000_400));
            assertThat(block.getModelId()).isEqualTo("model-x");
        }
    }

    @Test
    void droppedFramesCountInTheBlockTheirNumbersFallIn() throws Exception {
        try (var h = harness(5)) {
            h.open();
            h.processElement(frame("door", 5, 0, 1), 0);
            h.processElement(frame("door", 8, 2, 1), 0);   // 6, 7 dropped: block 1
            h.processElement(frame("door", 12, 3, 2), 0);  // 9 in block 1; 10, 11 in block 2: block 1 closes
            h.processElement(frame("door", 14, 1), 0);     // 13 dropped; 14 ends block 2
            List<CameraActivity> blocks = blocks(h.extractOutputValues());
            assertThat(blocks).extracting(CameraActivity::getFirstFrameSeq).containsExactly(5L, 10L);
            assertThat(blocks.get(0).getFramesProcessed()).isEqualTo(2);
            assertThat(blocks.get(0).getFramesDropped()).isEqualTo(3);
            assertThat(blocks.get(1).getFramesProcessed()).isEqualTo(2);
            assertThat(blocks.get(1).getFramesDropped()).isEqualTo(3);
            assertThat(blocks.get(1).getFramesWithPeople()).isEqualTo(1);
        }
    }

    @Test
    void camerasAreCountedApartAndTheOpenBlockSurvivesASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(4)) {
            h.open();
            h.processElement(frame("a", 0, 0, 1), 0);
            h.processElement(frame("b", 0, 0, 5, 6), 0);
            h.processElement(frame("a", 1, 0, 1, 2), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness(4)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(frame("a", 2, 0), 0);
            restored.processElement(frame("a", 3, 0, 3), 0);
            restored.processElement(frame("b", 3, 2), 0);
            List<CameraActivity> blocks = blocks(restored.extractOutputValues());
            assertThat(blocks).extracting(CameraActivity::getCameraId).containsExactly("a", "b");
            assertThat(blocks.get(0).getFramesProcessed()).isEqualTo(4);
            assertThat(blocks.get(0).getDistinctTracks()).isEqualTo(3);
            assertThat(blocks.get(1).getFramesProcessed()).isEqualTo(2);
            assertThat(blocks.get(1).getFramesDropped()).isEqualTo(2);
            assertThat(blocks.get(1).getMaxPeople()).isEqualTo(2);
        }
    }

    @Test
    void aBlockRestoredUnderAnotherBlockSizeIsClosedAsItWasCounted() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(4)) {
            h.open();
            h.processElement(frame("a", 0, 0, 1), 0);
            h.processElement(frame("a", 1, 0), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness(5)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(frame("a", 2, 0, 1), 0);
            List<CameraActivity> blocks = blocks(restored.extractOutputValues());
            assertThat(blocks).hasSize(1);
            assertThat(blocks.get(0).getFirstFrameSeq()).isZero();
            assertThat(blocks.get(0).getLastFrameSeq()).isEqualTo(3);
            assertThat(blocks.get(0).getFramesProcessed()).isEqualTo(2);
            restored.processElement(frame("a", 4, 1), 0); // frame 3 dropped; 4 ends the new block of 5
            blocks = blocks(restored.extractOutputValues());
            assertThat(blocks).hasSize(2);
            assertThat(blocks.get(1).getLastFrameSeq()).isEqualTo(4);
            assertThat(blocks.get(1).getFramesProcessed()).isEqualTo(2);
            assertThat(blocks.get(1).getFramesDropped()).isEqualTo(1);
        }
    }

    /** Random streams with drops against a plain count over all frames grouped by block. */
    @Test
    void matchesAPlainCountOnRandomStreams() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 200; run++) {
            int size = 1 + random.nextInt(12);
            List<FrameSummary> frames = new ArrayList<>();
            long seq = random.nextInt(30);
            for (int i = 0, n = random.nextInt(80); i < n; i++) {
                int dropped = random.nextInt(4) == 0 ? random.nextInt(2 * size + 1) : 0;
                seq += dropped;
                long[] tracks = random.longs(random.nextInt(4), 0, 6).distinct().toArray();
                frames.add(frame("cam", seq, dropped, tracks));
                seq++;
            }
            try (var h = harness(size)) {
                h.open();
                for (FrameSummary f : frames) {
                    h.processElement(f, 0);
                }
                assertThat(blocks(h.extractOutputValues())).as("run %d, block %d", run, size)
                        .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(reference(frames, size));
            }
        }
    }

    private static List<CameraActivity> reference(List<FrameSummary> frames, int size) {
        TreeMap<Long, List<FrameSummary>> processed = new TreeMap<>();
        TreeMap<Long, Integer> dropped = new TreeMap<>();
        for (FrameSummary f : frames) {
            processed.computeIfAbsent(f.frameSeq / size, k -> new ArrayList<>()).add(f);
            for (long d = f.frameSeq - f.droppedSinceLast; d < f.frameSeq; d++) {
                dropped.merge(d / size, 1, Integer::sum);
            }
        }
        long lastSeq = frames.isEmpty() ? -1 : frames.get(frames.size() - 1).frameSeq;
        List<CameraActivity> expected = new ArrayList<>();
        processed.forEach((index, inBlock) -> {
            boolean closed = index < lastSeq / size || lastSeq == index * size + size - 1;
            if (!closed) {
                return;
            }
            TreeSet<Long> tracks = new TreeSet<>();
            int withPeople = 0;
            int max = 0;
            long total = 0;
            for (FrameSummary f : inBlock) {
                for (long t : f.trackIds) {
                    tracks.add(t);
                }
                withPeople += f.trackIds.length > 0 ? 1 : 0;
                max = Math.max(max, f.trackIds.length);
                total += f.trackIds.length;
            }
            expected.add(CameraActivity.newBuilder().setCameraId("cam").setFirstFrameSeq(index * size)
                    .setLastFrameSeq(index * size + size - 1).setFramesProcessed(inBlock.size())
                    .setFramesDropped(dropped.getOrDefault(index, 0)).setFramesWithPeople(withPeople).setMaxPeople(max)
                    .setMeanPeople((float) total / inBlock.size()).setDistinctTracks(tracks.size())
                    .setStartCaptureTimeMs(Instant.ofEpochMilli(inBlock.get(0).captureTimeMs))
                    .setEndCaptureTimeMs(Instant.ofEpochMilli(inBlock.get(inBlock.size() - 1).captureTimeMs))
                    .setModelId("model-x").build());
        });
        return expected;
    }

    @Test
    void aBlockSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> new CameraActivityFunction(TOPIC, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
