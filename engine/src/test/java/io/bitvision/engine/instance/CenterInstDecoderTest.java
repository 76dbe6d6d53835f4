package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.instance.CenterInstModels.Heat;
import io.bitvision.engine.instance.CenterInstModels.Shape;
import io.bitvision.engine.instance.DecoderComparison.Outcome;
import io.bitvision.engine.instance.ReferenceCenterInst.Peak;
import io.bitvision.engine.instance.ReferenceCenterInst.Settings;
import io.bitvision.engine.instance.ReferenceDecoding.Candidate;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.testing.Randoms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CenterInstDecoderTest {

    @Test
    void matchesThePlainReferenceOnRandomModels() {
        SplittableRandom rnd = new SplittableRandom(41);
        int compared = 0;
        int ties = 0;
        int instances = 0;
        int emptyFrames = 0;
        int tiedPeaks = 0;
        int borderPeaks = 0;
        int cappedPeaks = 0;
        for (int i = 0; i < 200; i++) {
            Shape shape = Shape.random(rnd);
            Map<String, String> metadata = randomMetadata(rnd);
            InferenceEngine engine = runOnRandomInput(rnd, CenterInstModels.model(rnd, shape, metadata));
            CenterInstDecoder decoder = new CenterInstDecoder(engine.model());
            Settings settings = settings(decoder, metadata);
            List<Peak> peaks = ReferenceCenterInst.peaks(engine.output("heatmap"), settings.peakThreshold(), Integer.MAX_VALUE);
            tiedPeaks += hasTiedHeats(peaks) ? 1 : 0;
            borderPeaks += peaks.stream().anyMatch(p -> onBorder(p, shape)) ? 1 : 0;
            cappedPeaks += peaks.size() > settings.maxInstances() ? 1 : 0;
            int[][] frames = {
                {1 + rnd.nextInt(90), 1 + rnd.nextInt(90)},
                {shape.rows() * (1 + rnd.nextInt(4)), shape.cols() * (1 + rnd.nextInt(4))},
                {1 + rnd.nextInt(shape.gridRows()), 1 + rnd.nextInt(shape.gridCols())},
            };
            if (i % 20 == 0) {
                frames = new int[][] {{577, 769}, frames[2]};
            }
            for (int[] frame : frames) {
                List<MaskInstance> decoded = decoder.decode(engine, frame[0], frame[1]);
                if (compare(engine, decoder, settings, decoded, frame[0], frame[1]) == Outcome.TIE) {
                    ties++;
                } else {
                    compared++;
                    instances += decoded.size();
                    emptyFrames += decoded.isEmpty() ? 1 : 0;
                }
            }
        }
        assertThat(ties).as("cases with a rounding tie, not compared").isLessThan(compared / 10);
        assertThat(instances).as("instances compared").isGreaterThan(800);
        assertThat(emptyFrames).as("frames without instances").isGreaterThan(10);
        assertThat(tiedPeaks).as("models with peaks of equal heat").isGreaterThan(30);
        assertThat(borderPeaks).as("models with a peak on the grid's border").isGreaterThan(100);
        assertThat(cappedPeaks).as("models with more peaks than max_instances").isGreaterThan(30);
    }

    @Test
    void frameSizesThatDoNotDivideTheGridMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int instances = 0;
        for (int i = 0; i < 6; i++) {
            Shape shape = new Shape(12 + i, 16 + 2 * i, 8, 1 + i % 4, 3, 0.5, i % 2 == 0 ? Heat.SMOOTH : Heat.LEVELS);
            Map<String, String> metadata = Map.of("score_threshold", "0.1");
            InferenceEngine engine = runOnRandomInput(rnd, CenterInstModels.model(rnd, shape, metadata));
            CenterInstDecoder decoder = new CenterInstDecoder(engine.model());
            int[][] frames = {{577, 769}, {shape.rows() - 1, shape.cols() - 3}, {shape.gridRows() - 1, shape.gridCols() - 1},
                {5, 3}, {1, 1}, {1, 200}};
            for (int[] frame : frames) {
                List<MaskInstance> decoded = decoder.decode(engine, frame[0], frame[1]);
                assertThat(compare(engine, decoder, settings(decoder, metadata), decoded, frame[0], frame[1]))
                        .isEqualTo(Outcome.COMPARED);
                instances += decoded.size();
            }
        }
        assertThat(instances).isGreaterThan(30);
    }

    /** Every cell of a constant heatmap is a peak; max_instances of them, in raster order, are the candidates. */
    @Test
    void aFlatHeatmapMakesEveryCellAPeakInRasterOrder() {
        SplittableRandom rnd = new SplittableRandom(12);
        int compared = 0;
        for (int i = 0; i < 12; i++) {
            Shape shape = new Shape(6 + i, 9 + i, 4, 2, 3, 0, Heat.CONSTANT);
            Map<String, String> metadata = Map.of("max_instances", Integer.toString(1 + i), "score_threshold", "0.05");
            InferenceEngine engine = runOnRandomInput(rnd, CenterInstModels.model(rnd, shape, metadata));
            List<Peak> peaks = ReferenceCenterInst.peaks(engine.output("heatmap"), 0.1, 1 + i);
            assertThat(peaks).hasSize(1 + i);
            for (int k = 0; k < peaks.size(); k++) {
                assertThat(peaks.get(k).y() * shape.gridCols() + peaks.get(k).x()).isEqualTo(k);
            }
            CenterInstDecoder decoder = new CenterInstDecoder(engine.model());
            List<MaskInstance> decoded = decoder.decode(engine, 40, 52);
            compared += compare(engine, decoder, settings(decoder, metadata), decoded, 40, 52) == Outcome.COMPARED ? 1 : 0;
        }
        assertThat(compared).isGreaterThan(9);
    }

    @Test
    void thresholdsComeFromTheMetadataOrTheDefaults() {
        SplittableRandom rnd = new SplittableRandom(1);
        Shape shape = new Shape(8, 8, 4, 2, 0, 0, Heat.SMOOTH);
        CenterInstDecoder defaults = new CenterInstDecoder(CenterInstModels.model(rnd, shape, Map.of()));
        assertThat(defaults.scoreThreshold()).isEqualTo(0.3f);
        assertThat(defaults.maskThreshold()).isEqualTo(0.45f);
        assertThat(defaults.maxInstances()).isEqualTo(30);

        Model model = CenterInstModels.model(rnd, shape,
                Map.of("score_threshold", "0.55", "mask_threshold", " 0.6 ", "max_instances", "24"));
        CenterInstDecoder decoder = new CenterInstDecoder(model);
        assertThat(decoder.scoreThreshold()).isEqualTo(0.55f);
        assertThat(decoder.maskThreshold()).isEqualTo(0.6f);
        assertThat(decoder.maxInstances()).isEqualTo(24);

        CenterInstDecoder lower = decoder.withScoreThreshold(0.1f);
        assertThat(lower.scoreThreshold()).isEqualTo(0.1f);
        assertThat(lower.maskThreshold()).isEqualTo(0.6f);
        assertThat(lower.maxInstances()).isEqualTo(24);
        assertThat(decoder.scoreThreshold()).isEqualTo(0.55f);
        assertThatThrownBy(() -> decoder.withScoreThreshold(1.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decoder.withScoreThreshold(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peakThresholdAndSpatialScaleComeFromTheMetadata() {
        SplittableRandom rnd = new SplittableRandom(13);
        int differentMasks = 0;
        int fewerPeaks = 0;
        for (int i = 0; i < 10; i++) {
            Shape shape = new Shape(14, 18, 6, 2, 3, 0, Heat.SMOOTH);
            long seed = rnd.nextLong();
            long inputSeed = rnd.nextLong();
            Map<String, String> open = Map.of("score_threshold", "0.05", "peak_threshold", "0.02", "spatial_scale", "0");
            Map<String, String> strict = Map.of("score_threshold", "0.05", "peak_threshold", "0.8", "spatial_scale", "300");
            InferenceEngine a = runOnRandomInput(new SplittableRandom(inputSeed), CenterInstModels.model(new SplittableRandom(seed), shape, open));
            InferenceEngine b = runOnRandomInput(new SplittableRandom(inputSeed), CenterInstModels.model(new SplittableRandom(seed), shape, strict));
            CenterInstDecoder openDecoder = new CenterInstDecoder(a.model());
            CenterInstDecoder strictDecoder = new CenterInstDecoder(b.model());
            List<MaskInstance> all = openDecoder.decode(a, 56, 72);
            List<MaskInstance> few = strictDecoder.decode(b, 56, 72);
            assertThat(compare(a, openDecoder, settings(openDecoder, open), all, 56, 72)).isEqualTo(Outcome.COMPARED);
            assertThat(compare(b, strictDecoder, settings(strictDecoder, strict), few, 56, 72)).isEqualTo(Outcome.COMPARED);
            fewerPeaks += ReferenceCenterInst.peaks(b.output("heatmap"), 0.8, 30).size()
                    < ReferenceCenterInst.peaks(a.output("heatmap"), 0.02, 30).size() ? 1 : 0;
            if (!all.isEmpty() && !few.isEmpty() && !Arrays.equals(all.get(0).rleCounts(), few.get(0).rleCounts())) {
                differentMasks++;
            }
        }
        assertThat(fewerPeaks).isGreaterThan(5);
        assertThat(differentMasks).isGreaterThan(3);
    }

    /** max_instances caps both the peaks considered (hottest first) and the instances returned. */
    @Test
    void maxInstancesKeepsTheCandidatesOfTheHottestPeaks() {
        SplittableRandom rnd = new SplittableRandom(3);
        int fullCaps = 0;
        for (int i = 0; i < 10; i++) {
            Shape shape = new Shape(16, 20, 6, 3, 4, 1, i % 2 == 0 ? Heat.SMOOTH : Heat.LEVELS);
            long seed = rnd.nextLong();
            long inputSeed = rnd.nextLong();
            Model capped = CenterInstModels.model(new SplittableRandom(seed), shape, Map.of("max_instances", "3", "score_threshold", "0"));
            Model open = CenterInstModels.model(new SplittableRandom(seed), shape, Map.of("score_threshold", "0", "max_instances", "80"));
            InferenceEngine cappedEngine = runOnRandomInput(new SplittableRandom(inputSeed), capped);
            InferenceEngine openEngine = runOnRandomInput(new SplittableRandom(inputSeed), open);
            List<MaskInstance> all = new CenterInstDecoder(open).decode(openEngine, 50, 70);
            List<MaskInstance> best = new CenterInstDecoder(capped).decode(cappedEngine, 50, 70);
            assertThat(best.size()).isLessThanOrEqualTo(3);
            for (MaskInstance kept : best) {
                assertThat(all).anySatisfy(m -> {
                    assertThat(m.score()).isEqualTo(kept.score());
                    assertThat(m.rleCounts()).isEqualTo(kept.rleCounts());
                });
            }
            for (int k = 1; k < all.size(); k++) {
                assertThat(all.get(k).score()).isLessThanOrEqualTo(all.get(k - 1).score());
            }
            fullCaps += best.size() == 3 && all.size() > 3 ? 1 : 0;
        }
        assertThat(fullCaps).isGreaterThan(5);
    }

    @Test
    void lowScoresGiveNoInstances() {
        SplittableRandom rnd = new SplittableRandom(6);
        int confidentWithInstances = 0;
        for (int i = 0; i < 10; i++) {
            Model unlikely = CenterInstModels.model(rnd, new Shape(8, 10, 4, 2, -14, 1, Heat.SMOOTH), Map.of());
            InferenceEngine engine = runOnRandomInput(rnd, unlikely);
            assertThat(new CenterInstDecoder(engine.model()).decode(engine, 64, 80)).isEmpty();
            Model cold = CenterInstModels.model(rnd, new Shape(8, 10, 4, 2, 4, -5, Heat.CONSTANT), Map.of());
            InferenceEngine coldEngine = runOnRandomInput(rnd, cold);
            assertThat(new CenterInstDecoder(coldEngine.model()).decode(coldEngine, 64, 80)).as("no peak").isEmpty();
            InferenceEngine confident = runOnRandomInput(rnd, CenterInstModels.model(rnd, new Shape(8, 10, 4, 1, 4, 2, Heat.SMOOTH), Map.of()));
            CenterInstDecoder decoder = new CenterInstDecoder(confident.model());
            confidentWithInstances += decoder.decode(confident, 64, 80).isEmpty() ? 0 : 1;
            assertThat(decoder.withScoreThreshold(1f).decode(confident, 64, 80)).isEmpty();
        }
        assertThat(confidentWithInstances).isGreaterThan(5);
    }

    /** Scratch arrays are reused between frames and frame sizes; results must not depend on what came before. */
    @Test
    void aReusedDecoderGivesWhatAFreshOneGives() {
        SplittableRandom rnd = new SplittableRandom(7);
        Model model = CenterInstModels.model(rnd, new Shape(12, 16, 6, 2, 3, 0.5, Heat.SMOOTH), Map.of("score_threshold", "0.1"));
        InferenceEngine engine = InferenceEngine.builder(model).build();
        CenterInstDecoder reused = new CenterInstDecoder(model);
        int[][] frames = {{577, 769}, {20, 30}, {577, 769}, {3, 2}, {120, 160}};
        int instances = 0;
        for (int i = 0; i < 10; i++) {
            Randoms.fill(rnd, engine.input());
            engine.run();
            int[] frame = frames[i % frames.length];
            List<MaskInstance> fresh = new CenterInstDecoder(model).decode(engine, frame[0], frame[1]);
            List<MaskInstance> again = reused.decode(engine, frame[0], frame[1]);
            assertThat(again).hasSameSizeAs(fresh);
            for (int k = 0; k < fresh.size(); k++) {
                assertThat(again.get(k).score()).isEqualTo(fresh.get(k).score());
                assertThat(again.get(k).box()).isEqualTo(fresh.get(k).box());
                assertThat(again.get(k).rleCounts()).isEqualTo(fresh.get(k).rleCounts());
            }
            instances += fresh.size();
        }
        assertThat(instances).isGreaterThan(10);
    }

    @Test
    void outputsThatBreakTheContractAreNamed() {
        SplittableRandom rnd = new SplittableRandom(9);
        int d = 4;
        Model good = CenterInstModels.model(rnd, new Shape(8, 10, d, 2, 0, 0, Heat.SMOOTH), Map.of());
        Graph g = good.graph();
        // Tensors: 1 mask_features u2[4x8x10], 2 int32[8x4x5], 3 heads f32[8x4x5], 4 heat logits, 5 heatmap f32[1x4x5].
        assertRefused(withOutputs(g, new int[] {5, 3}, "heatmap", "heads"), "no output 'mask_features'");
        assertRefused(withOutputs(g, new int[] {3, 1}, "heads", "mask_features"), "no output 'heatmap'");
        assertRefused(withOutputs(g, new int[] {5, 1}, "heatmap", "mask_features"), "no output 'heads'");
        assertRefused(withOutputs(g, new int[] {1, 3, 1}, "heatmap", "heads", "mask_features"), "output 'heatmap' is u2[4x8x10]");
        assertRefused(withOutputs(g, new int[] {5, 2, 1}, "heatmap", "heads", "mask_features"), "output 'heads' is int32");
        assertRefused(withOutputs(g, new int[] {5, 3, 5}, "heatmap", "heads", "mask_features"), "output 'mask_features' is float32");
        assertRefused(withOutputs(g, new int[] {3, 3, 1}, "heatmap", "heads", "mask_features"), "must have one channel");

        List<Node> nodes = new ArrayList<>(g.nodes());
        ConvGeometry wider = ConvGeometry.simple(3, d + 1, 3, 1, 1);
        nodes.add(new Node(Randoms.conv(rnd, 8, wider, Randoms.thresholds(rnd, d + 1, 100, 2)), new int[] {0}));
        nodes.add(new Node(new FloatConvOp(d, 4 + d, new float[d * (4 + d)], new float[4 + d]), new int[] {1}));
        nodes.add(new Node(new FloatConvOp(8, 3 + d, new float[8 * (3 + d)], new float[3 + d]), new int[] {2}));
        nodes.add(new Node(new FloatConvOp(d, 1, new float[d], new float[1]), new int[] {1}));
        Graph extended = new Graph(g.input(), nodes, new int[] {5}, List.of("heatmap"));
        // Tensor 6: u2[5x8x10] mask features with D + 1 channels; 7: heads at the mask-feature size; 8: 3 + D heads;
        // 9: a one-channel float map at the mask-feature size.
        assertRefused(withOutputs(extended, new int[] {5, 3, 6}, "heatmap", "heads", "mask_features"), "4 + D = 9");
        assertRefused(withOutputs(extended, new int[] {5, 8, 1}, "heatmap", "heads", "mask_features"), "4 + D = 8");
        assertRefused(withOutputs(extended, new int[] {5, 7, 1}, "heatmap", "heads", "mask_features"), "same height and width");
        assertRefused(withOutputs(extended, new int[] {9, 3, 1}, "heatmap", "heads", "mask_features"), "same height and width");
    }

    @Test
    void badMetadataIsNamed() {
        SplittableRandom rnd = new SplittableRandom(10);
        Model model = CenterInstModels.model(rnd, new Shape(8, 8, 3, 1, 0, 0, Heat.SMOOTH), Map.of());
        String[][] bad = {
            {"score_threshold", "high"}, {"score_threshold", "1.5"}, {"score_threshold", "-0.1"},
            {"mask_threshold", "0"}, {"mask_threshold", "1"}, {"mask_threshold", "NaN"},
            {"max_instances", "0"}, {"max_instances", "2.5"},
            {"peak_threshold", "0"}, {"peak_threshold", "-0.2"}, {"peak_threshold", "1.01"}, {"peak_threshold", "NaN"},
            {"peak_threshold", "hot"},
            {"spatial_scale", "-1"}, {"spatial_scale", "Infinity"}, {"spatial_scale", "NaN"}, {"spatial_scale", "wide"},
        };
        for (String[] entry : bad) {
            assertRefused(withMetadata(model, entry[0], entry[1]), entry[0]);
        }
        assertRefused(withMetadata(model, "decoder", SparseInstDecoder.DECODER_ID), "'sparseinst-v1', not centerinst-v1");
        // The edges of the ranges are fine.
        new CenterInstDecoder(withMetadata(withMetadata(model, "peak_threshold", "1"), "spatial_scale", "0"));
    }

    @Test
    void anEngineWithOtherOutputShapesIsRefused() {
        SplittableRandom rnd = new SplittableRandom(11);
        Model a = CenterInstModels.model(rnd, new Shape(8, 8, 3, 1, 0, 0, Heat.SMOOTH), Map.of());
        Model b = CenterInstModels.model(rnd, new Shape(10, 8, 3, 1, 0, 0, Heat.SMOOTH), Map.of());
        InferenceEngine engine = runOnRandomInput(rnd, b);
        assertThatThrownBy(() -> new CenterInstDecoder(a).decode(engine, 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heatmap");
        assertThatThrownBy(() -> new CenterInstDecoder(b).decode(engine, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10");
    }

    private static Outcome compare(InferenceEngine engine, CenterInstDecoder decoder, Settings settings,
                                   List<MaskInstance> decoded, int height, int width) {
        List<Candidate> candidates = ReferenceCenterInst.candidates(engine, settings, height, width);
        return DecoderComparison.compare(candidates, decoded, decoder.scoreThreshold(), decoder.maskThreshold(),
                decoder.maxInstances(), height, width);
    }

    /** The reference's settings: the thresholds the decoder reports, the rest from the metadata it was given. */
    private static Settings settings(CenterInstDecoder decoder, Map<String, String> metadata) {
        return new Settings(decoder.scoreThreshold(), decoder.maskThreshold(), decoder.maxInstances(),
                Float.parseFloat(metadata.getOrDefault("peak_threshold", "0.1")),
                Float.parseFloat(metadata.getOrDefault("spatial_scale", "100")));
    }

    private static Map<String, String> randomMetadata(SplittableRandom rnd) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("score_threshold", Float.toString((float) rnd.nextDouble(0.05, 0.6)));
        metadata.put("mask_threshold", Float.toString((float) rnd.nextDouble(0.2, 0.8)));
        if (rnd.nextInt(4) != 0) {
            metadata.put("max_instances", Integer.toString(1 + rnd.nextInt(12)));
        }
        if (rnd.nextInt(4) != 0) {
            metadata.put("peak_threshold", Float.toString((float) rnd.nextDouble(0.02, 0.6)));
        }
        if (rnd.nextInt(4) != 0) {
            metadata.put("spatial_scale", Float.toString((float) rnd.nextDouble(0, 250)));
        }
        return metadata;
    }

    private static boolean hasTiedHeats(List<Peak> peaks) {
        for (int i = 1; i < peaks.size(); i++) {
            if (peaks.get(i).heat() == peaks.get(i - 1).heat()) {
                return true;
            }
        }
        return false;
    }

    private static boolean onBorder(Peak p, Shape shape) {
        return p.y() == 0 || p.x() == 0 || p.y() == shape.gridRows() - 1 || p.x() == shape.gridCols() - 1;
    }

    private static InferenceEngine runOnRandomInput(SplittableRandom rnd, Model model) {
        InferenceEngine engine = InferenceEngine.builder(model).build();
        Randoms.fill(rnd, engine.input());
        engine.run();
        return engine;
    }

    private static void assertRefused(Model model, String message) {
        assertThatThrownBy(() -> new CenterInstDecoder(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static Model withOutputs(Graph g, int[] outputs, String... names) {
        return new Model("broken", "1", new Graph(g.input(), g.nodes(), outputs, List.of(names)),
                Map.of("decoder", CenterInstDecoder.DECODER_ID));
    }

    private static Model withMetadata(Model model, String key, String value) {
        Map<String, String> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put(key, value);
        return new Model(model.name(), model.version(), model.graph(), metadata);
    }
}
