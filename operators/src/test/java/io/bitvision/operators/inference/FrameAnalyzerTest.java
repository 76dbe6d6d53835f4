package io.bitvision.operators.inference;

import io.bitvision.engine.NearestResize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bitvision.engine.instance.CenterInstDecoder;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.instance.SparseInstDecoder;
import io.bitvision.engine.model.MetadataKeys;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.post.CocoRle;
import io.bitvision.engine.track.Box;
import io.bitvision.engine.track.IouTracker;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of model gets its own way from outputs to instances; both end in full-frame, tracked instances. */
class FrameAnalyzerTest {
    private static final long ARENA = 64L << 20;
    /** Score of the SparseInst and CenterInst stand-ins' one instance: sqrt(sigmoid(5)^2) * sigmoid(4). */
    private static final double STAND_IN_SCORE = (1 / (1 + Math.exp(-5))) * (1 / (1 + Math.exp(-4)));

    /** A light frame with one dark rectangle at pixels [x, x + w) x [y, y + h). */
    static byte[] frame(int height, int width, int x, int y, int w, int h) {
        byte[] rgb = new byte[height * width * 3];
        Arrays.fill(rgb, (byte) 200);
        for (int row = y; row < y + h; row++) {
            Arrays.fill(rgb, (row * width + x) * 3, (row * width + x + w) * 3, (byte) 10);
        }
        return rgb;
    }

    @Test
    void theShippedPersonModelFindsTheSameInstancesWhenItsRowsAreSplitAcrossThreads() throws Exception {
        Model person = io.bitvision.engine.model.ModelReader.read(java.nio.file.Path.of("..", "models", "person-v1.bvm"));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        List<byte[]> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] rgb = frame(576, 768, 100 + 40 * i, 150, 90, 260);
            for (int k = 0; k < rgb.length; k += 7) {
                rgb[k] = (byte) rnd.nextInt(256);
            }
            frames.add(rgb);
        }
        List<String> single = new java.util.ArrayList<>();
        try (FrameAnalyzer one = new FrameAnalyzer(person, ARENA, 6, 1)) {
            for (byte[] rgb : frames) {
                single.add(summary(one.detect(rgb, 576, 768)));
            }
        }
        for (int threads : new int[] {2, 3}) {
            try (FrameAnalyzer banded = new FrameAnalyzer(person, ARENA, 6, threads)) {
                assertThat(banded.threads()).isEqualTo(threads);
                for (int i = 0; i < frames.size(); i++) {
                    assertThat(summary(banded.detect(frames.get(i), 576, 768))).as("frame %d, %d threads", i, threads)
                            .isEqualTo(single.get(i));
                }
            }
        }
    }

    private static String summary(List<MaskInstance> instances) {
        StringBuilder text = new StringBuilder();
        for (MaskInstance m : instances) {
            text.append(m.classId()).append(' ').append(m.score()).append(' ').append(m.box()).append(' ')
                    .append(m.area()).append(' ').append(Arrays.toString(m.rleCounts())).append('\n');
        }
        return text.toString();
    }

    @Test
    void aForegroundModelGetsComponentsAndAnInstanceModelGetsItsDecoder() {
        assertThat(new FrameAnalyzer(DarkRegionsModel.build(32, 48, 70), ARENA, 2).extractor())
                .isInstanceOf(ForegroundComponents.class);
        assertThat(new FrameAnalyzer(DarkRegionsModel.buildSparseInst(32, 48, 70), ARENA, 2).extractor())
                .isInstanceOfSatisfying(DecodedInstances.class,
                        e -> assertThat(e.decoder()).isInstanceOf(SparseInstDecoder.class));
        assertThat(new FrameAnalyzer(DarkRegionsModel.buildCenterInst(32, 48, 70), ARENA, 2).extractor())
                .isInstanceOfSatisfying(DecodedInstances.class,
                        e -> assertThat(e.decoder()).isInstanceOf(CenterInstDecoder.class));
    }

    @Test
    void sparseInstMasksComeBackAtTheFramesSizeFromANearestResizedInput() {
        assertTheDarkRectangleIsOneInstance(DarkRegionsModel.buildSparseInst(32, 48, 70));
    }

    @Test
    void centerInstMasksComeBackAtTheFramesSizeFromANearestResizedInput() {
        assertTheDarkRectangleIsOneInstance(DarkRegionsModel.buildCenterInst(32, 48, 70));
    }

    @Test
    void centerInstInstancesAreTrackedAndAFrameWithNothingDarkHasNone() {
        FrameAnalyzer analyzer = new FrameAnalyzer(DarkRegionsModel.buildCenterInst(32, 48, 70), ARENA, 2);
        IouTracker tracker = new IouTracker(0.3f, 10);

        List<TrackedInstance> first = analyzer.analyze(frame(64, 96, 16, 16, 32, 24), 64, 96, 0, tracker);
        List<TrackedInstance> second = analyzer.analyze(frame(64, 96, 24, 16, 32, 24), 64, 96, 1, tracker);

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).trackId()).isEqualTo(first.get(0).trackId());
        assertThat(second.get(0).instance().box()).isEqualTo(new Box(24, 16, 32, 24));
        assertThat(analyzer.detect(frame(64, 96, 0, 0, 0, 0), 64, 96)).isEmpty();
    }

    /**
     * The frame is twice the model input: the dark rectangle covers blocks 2..5 x 2..4 of the 8x12 map. The
     * bilinear upscale of logits +4 / -4 crosses the 0.45 mask threshold at the block edges, except that it
     * rounds the four corners off.
     */
    private static void assertTheDarkRectangleIsOneInstance(Model model) {
        FrameAnalyzer analyzer = new FrameAnalyzer(model, ARENA, 2);

        List<MaskInstance> instances = analyzer.detect(frame(64, 96, 16, 16, 32, 24), 64, 96);

        assertThat(instances).hasSize(1);
        MaskInstance person = instances.get(0);
        assertThat(person.classId()).isZero();
        assertThat((double) person.score()).isCloseTo(STAND_IN_SCORE, within(1e-4));
        assertThat(person.box()).isEqualTo(new Box(16, 16, 32, 24));
        assertThat(person.area()).isBetween(32L * 24 - 4 * 8, 32L * 24 - 4);
        assertThat(CocoRle.area(person.rleCounts())).isEqualTo(person.area());
        assertThat(CocoRle.bbox(person.rleCounts(), 64, 96)).containsExactly(16, 16, 32, 24);
        byte[] mask = CocoRle.decode(person.rleCounts(), 64, 96);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                boolean inner = x >= 19 && x < 45 && y >= 19 && y < 37;
                boolean inBox = x >= 16 && x < 48 && y >= 16 && y < 40;
                if (inner || !inBox) {
                    assertThat(mask[y * 96 + x]).as("pixel %d,%d", x, y).isEqualTo((byte) (inner ? 1 : 0));
                }
            }
        }
    }

    @Test
    void aFrameWithNothingDarkHasNoInstances() {
        FrameAnalyzer analyzer = new FrameAnalyzer(DarkRegionsModel.buildSparseInst(32, 48, 70), ARENA, 2);

        assertThat(analyzer.detect(frame(64, 96, 0, 0, 0, 0), 64, 96)).isEmpty();
    }

    @Test
    void sparseInstInstancesAreTrackedAcrossFrames() {
        FrameAnalyzer analyzer = new FrameAnalyzer(DarkRegionsModel.buildSparseInst(32, 48, 70), ARENA, 2);
        IouTracker tracker = new IouTracker(0.3f, 10);

        List<TrackedInstance> first = analyzer.analyze(frame(64, 96, 16, 16, 32, 24), 64, 96, 0, tracker);
        List<TrackedInstance> second = analyzer.analyze(frame(64, 96, 24, 16, 32, 24), 64, 96, 1, tracker);

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).trackId()).isEqualTo(first.get(0).trackId());
        assertThat(second.get(0).instance().box()).isEqualTo(new Box(24, 16, 32, 24));
    }

    @Test
    void aThresholdAboveTheScoreDropsTheInstance() {
        Model model = DarkRegionsModel.buildSparseInst(32, 48, 70);
        var strict = new DecodedInstances(new SparseInstDecoder(model).withScoreThreshold((float) STAND_IN_SCORE + 0.01f));
        var lenient = new DecodedInstances(new SparseInstDecoder(model).withScoreThreshold((float) STAND_IN_SCORE - 0.01f));
        byte[] rgb = frame(64, 96, 16, 16, 32, 24);

        assertThat(new FrameAnalyzer(model, ARENA, strict).detect(rgb, 64, 96)).isEmpty();
        assertThat(new FrameAnalyzer(model, ARENA, lenient).detect(rgb, 64, 96)).hasSize(1);
    }

    @Test
    void aModelWithoutAKnownOutputOrWithOtherPreprocessingIsRefusedByName() {
        Model sparse = DarkRegionsModel.buildSparseInst(32, 48, 70);
        // Without the decoder key only SparseInst's outputs are recognised: a centre model's are not.
        Model noDecoder = new Model("headless", "1", DarkRegionsModel.buildCenterInst(32, 48, 70).graph());
        assertThatThrownBy(() -> new FrameAnalyzer(noDecoder, ARENA, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("headless").hasMessageContaining("foreground").hasMessageContaining("heatmap");
        assertThat(new FrameAnalyzer(new Model("old", "1", sparse.graph()), ARENA, 2).extractor())
                .isInstanceOf(DecodedInstances.class);
        Map<String, String> unknown = new LinkedHashMap<>(sparse.metadata());
        unknown.put(MetadataKeys.DECODER, "solo-v1");
        assertThatThrownBy(() -> new FrameAnalyzer(new Model("solo", "1", sparse.graph(), unknown), ARENA, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("solo-v1");

        Map<String, String> bgr = new LinkedHashMap<>(sparse.metadata());
        bgr.put(MetadataKeys.INPUT_ORDER, "bgr");
        Model bgrModel = new Model("bgr", "1", sparse.graph(), bgr);
        assertThatThrownBy(() -> new FrameAnalyzer(bgrModel, ARENA, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input.order=bgr");
    }

    @Test
    void theForegroundPathIsUnchanged() {
        FrameAnalyzer analyzer = new FrameAnalyzer(DarkRegionsModel.build(32, 48, 70), ARENA, 2);

        List<MaskInstance> instances = analyzer.detect(frame(64, 96, 16, 16, 32, 24), 64, 96);

        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).score()).isEqualTo(1f);
        assertThat(instances.get(0).box()).isEqualTo(new Box(16, 16, 32, 24));
        assertThat(instances.get(0).area()).isEqualTo(32L * 24);
    }
}
