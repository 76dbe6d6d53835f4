package io.bitvision.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.instance.DecoderComparison.Outcome;
import io.bitvision.engine.instance.ReferenceDecoding.Candidate;
import io.bitvision.engine.instance.SparseInstModels.Shape;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.model.ModelReader;
import io.bitvision.engine.model.ModelWriter;
import io.bitvision.engine.testing.Randoms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparseInstDecoderTest {
    @Test
    void matchesThePlainReferenceOnRandomModels() throws Exception {
        SplittableRandom rnd = new SplittableRandom(31);
        int compared = 0;
        int ties = 0;
        int instances = 0;
        int emptyFrames = 0;
        for (int i = 0; i < 150; i++) {
            Shape shape = Shape.random(rnd);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("score_threshold", Float.toString((float) rnd.nextDouble(0.05, 0.6)));
            metadata.put("mask_threshold", Float.toString((float) rnd.nextDouble(0.2, 0.8)));
            metadata.put("max_instances", Integer.toString(1 + rnd.nextInt(12)));
            InferenceEngine engine = runOnRandomInput(rnd, SparseInstModels.model(rnd, shape, metadata));
            SparseInstDecoder decoder = new SparseInstDecoder(engine.model());
            int[][] frames = {
                {1 + rnd.nextInt(90), 1 + rnd.nextInt(90)},
                {shape.rows() * (1 + rnd.nextInt(4)), shape.cols() * (1 + rnd.nextInt(4))},
                {Math.max(1, shape.rows() - 1 - rnd.nextInt(shape.rows())), Math.max(1, shape.cols() - 1 - rnd.nextInt(shape.cols()))},
            };
            if (i % 15 == 0) {
                frames = new int[][] {{577, 769}, frames[2]};
            }
            for (int[] frame : frames) {
                List<MaskInstance> decoded = decoder.decode(engine, frame[0], frame[1]);
                if (compare(engine, decoder, decoded, frame[0], frame[1]) == Outcome.TIE) {
                    ties++;
                } else {
                    compared++;
                    instances += decoded.size();
                    emptyFrames += decoded.isEmpty() ? 1 : 0;
                }
            }
        }
        assertThat(ties).as("cases with a rounding tie, not compared").isLessThan(compared / 10);
        assertThat(instances).as("instances compared").isGreaterThan(300);
        assertThat(emptyFrames).as("frames without instances").isGreaterThan(10);
    }

    @Test
    void frameSizesThatDoNotDivideTheGridMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int instances = 0;
        for (int i = 0; i < 6; i++) {
            Shape shape = new Shape(12 + i, 16 + 2 * i, 6, 8, 1 + i % 4, 6);
            InferenceEngine engine = runOnRandomInput(rnd, SparseInstModels.model(rnd, shape, Map.of("score_threshold", "0.1")));
            SparseInstDecoder decoder = new SparseInstDecoder(engine.model());
            for (int[] frame : new int[][] {{577, 769}, {shape.rows() - 1, shape.cols() - 3}, {5, 3}, {1, 1}, {1, 200}}) {
                List<MaskInstance> decoded = decoder.decode(engine, frame[0], frame[1]);
                assertThat(compare(engine, decoder, decoded, frame[0], frame[1])).isEqualTo(Outcome.COMPARED);
                instances += decoded.size();
            }
        }
        assertThat(instances).isGreaterThan(30);
    }

    private static Outcome compare(InferenceEngine engine, SparseInstDecoder decoder, List<MaskInstance> decoded,
                                   int height, int width) {
        List<Candidate> candidates = ReferenceSparseInst.candidates(engine, decoder.scoreThreshold(),
                decoder.maskThreshold(), height, width);
        return DecoderComparison.compare(candidates, decoded, decoder.scoreThreshold(), decoder.maskThreshold(),
                decoder.maxInstances(), height, width);
    }

    private static InferenceEngine runOnRandomInput(SplittableRandom rnd, Model model) {
        InferenceEngine engine = InferenceEngine.builder(model).build();
        Randoms.fill(rnd, engine.input());
        engine.run();
        return engine;
    }

    @Test
    void thresholdsComeFromTheMetadataOrTheDefaults() {
        SplittableRandom rnd = new SplittableRandom(1);
        Shape shape = new Shape(8, 8, 3, 4, 2, 0);
        SparseInstDecoder defaults = new SparseInstDecoder(SparseInstModels.model(rnd, shape, Map.of()));
        assertThat(defaults.scoreThreshold()).isEqualTo(0.3f);
        assertThat(defaults.maskThreshold()).isEqualTo(0.45f);
        assertThat(defaults.maxInstances()).isEqualTo(100);

        Model model = SparseInstModels.model(rnd, shape,
                Map.of("score_threshold", "0.55", "mask_threshold", " 0.6 ", "max_instances", "24"));
        SparseInstDecoder decoder = new SparseInstDecoder(model);
        assertThat(decoder.scoreThreshold()).isEqualTo(0.55f);
        assertThat(decoder.maskThreshold()).isEqualTo(0.6f);
        assertThat(decoder.maxInstances()).isEqualTo(24);

        SparseInstDecoder lower = decoder.withScoreThreshold(0.1f);
        assertThat(lower.scoreThreshold()).isEqualTo(0.1f);
        assertThat(lower.maskThreshold()).isEqualTo(0.6f);
        assertThat(lower.maxInstances()).isEqualTo(24);
        assertThat(decoder.scoreThreshold()).isEqualTo(0.55f);
        assertThatThrownBy(() -> decoder.withScoreThreshold(1.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decoder.withScoreThreshold(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLowerScoreThresholdKeepsMoreInstancesAndTheSameOnes() {
        SplittableRandom rnd = new SplittableRandom(2);
        int grew = 0;
        for (int i = 0; i < 20; i++) {
            InferenceEngine engine = runOnRandomInput(rnd, SparseInstModels.model(rnd, new Shape(10, 12, 8, 6, 2, 0.5), Map.of()));
            SparseInstDecoder strict = new SparseInstDecoder(engine.model()).withScoreThreshold(0.5f);
            List<MaskInstance> few = strict.decode(engine, 40, 48);
            List<MaskInstance> many = strict.withScoreThreshold(0.05f).decode(engine, 40, 48);
            assertThat(many.size()).isGreaterThanOrEqualTo(few.size());
            for (int k = 0; k < few.size(); k++) {
                assertThat(many.get(k).score()).isEqualTo(few.get(k).score());
                assertThat(many.get(k).rleCounts()).isEqualTo(few.get(k).rleCounts());
            }
            grew += many.size() > few.size() ? 1 : 0;
        }
        assertThat(grew).isPositive();
    }

    @Test
    void maxInstancesKeepsTheBestScores() {
        SplittableRandom rnd = new SplittableRandom(3);
        Shape shape = new Shape(10, 14, 10, 6, 3, 8);
        long seed = rnd.nextLong();
        Model capped = SparseInstModels.model(new SplittableRandom(seed), shape, Map.of("max_instances", "3", "score_threshold", "0"));
        Model open = SparseInstModels.model(new SplittableRandom(seed), shape, Map.of("score_threshold", "0"));
        InferenceEngine cappedEngine = runOnRandomInput(new SplittableRandom(4), capped);
        InferenceEngine openEngine = runOnRandomInput(new SplittableRandom(4), open);
        List<MaskInstance> all = new SparseInstDecoder(open).decode(openEngine, 50, 70);
        List<MaskInstance> best = new SparseInstDecoder(capped).decode(cappedEngine, 50, 70);
        assertThat(all.size()).isGreaterThan(3);
        assertThat(best).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(best.get(i).score()).isEqualTo(all.get(i).score());
            assertThat(best.get(i).rleCounts()).isEqualTo(all.get(i).rleCounts());
        }
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).score()).isLessThanOrEqualTo(all.get(i - 1).score());
        }
    }

    @Test
    void lowScoresGiveNoInstances() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 0; i < 10; i++) {
            InferenceEngine engine = runOnRandomInput(rnd, SparseInstModels.model(rnd, new Shape(8, 10, 6, 4, 2, -14), Map.of()));
            assertThat(new SparseInstDecoder(engine.model()).decode(engine, 64, 80)).isEmpty();
            InferenceEngine confident = runOnRandomInput(rnd, SparseInstModels.model(rnd, new Shape(8, 10, 6, 4, 2, 2), Map.of()));
            assertThat(new SparseInstDecoder(confident.model()).withScoreThreshold(1f).decode(confident, 64, 80)).isEmpty();
        }
    }

    /** Scratch arrays are reused between frames and frame sizes; results must not depend on what came before. */
    @Test
    void aReusedDecoderGivesWhatAFreshOneGives() {
        SplittableRandom rnd = new SplittableRandom(7);
        Model model = SparseInstModels.model(rnd, new Shape(12, 16, 8, 6, 2, 3), Map.of("score_threshold", "0.1"));
        InferenceEngine engine = InferenceEngine.builder(model).build();
        SparseInstDecoder reused = new SparseInstDecoder(model);
        int[][] frames = {{577, 769}, {20, 30}, {577, 769}, {3, 2}, {120, 160}};
        for (int i = 0; i < 10; i++) {
            Randoms.fill(rnd, engine.input());
            engine.run();
            int[] frame = frames[i % frames.length];
            List<MaskInstance> fresh = new SparseInstDecoder(model).decode(engine, frame[0], frame[1]);
            List<MaskInstance> again = reused.decode(engine, frame[0], frame[1]);
            assertThat(again).hasSameSizeAs(fresh);
            for (int k = 0; k < fresh.size(); k++) {
                assertThat(again.get(k).score()).isEqualTo(fresh.get(k).score());
                assertThat(again.get(k).box()).isEqualTo(fresh.get(k).box());
                assertThat(again.get(k).rleCounts()).isEqualTo(fresh.get(k).rleCounts());
            }
        }
    }

    @Test
    void supportsModelsThatNameThisDecoder() throws Exception {
        SplittableRandom rnd = new SplittableRandom(8);
        Model model = SparseInstModels.model(rnd, new Shape(8, 8, 2, 3, 1, 0), Map.of());
        assertThat(SparseInstDecoder.supports(model)).isTrue();
        assertThat(SparseInstDecoder.supports(ModelReader.fromBytes(ModelWriter.toBytes(model)))).isTrue();
        assertThat(SparseInstDecoder.supports(new Model("m", "1", model.graph()))).isFalse();
        assertThat(SparseInstDecoder.supports(withMetadata(model, "decoder", "sparseinst-v2"))).isFalse();
        // Without the key the outputs decide; a different decoder is refused.
        new SparseInstDecoder(new Model("m", "1", model.graph()));
        assertThatThrownBy(() -> new SparseInstDecoder(withMetadata(model, "decoder", "sparseinst-v2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparseinst-v2");
    }

    @Test
    void outputsThatBreakTheContractAreNamed() {
        SplittableRandom rnd = new SplittableRandom(9);
        int d = 4;
        Model good = SparseInstModels.model(rnd, new Shape(8, 10, 3, d, 2, 0), Map.of());
        Graph g = good.graph();
        // Tensors: 1 mask_features u2[4x8x10], 2 int32[8x4x5], 3 heads f32[7x4x5], 4 iam logits, 5 iam f32[3x4x5].
        assertRefused(withOutputs(g, new int[] {5, 3}, "iam", "heads"), "no output 'mask_features'");
        assertRefused(withOutputs(g, new int[] {3, 1}, "heads", "mask_features"), "no output 'iam'");
        assertRefused(withOutputs(g, new int[] {1, 3, 1}, "iam", "heads", "mask_features"), "output 'iam' is u2[4x8x10]");
        assertRefused(withOutputs(g, new int[] {5, 2, 1}, "iam", "heads", "mask_features"), "output 'heads' is int32");
        assertRefused(withOutputs(g, new int[] {5, 3, 5}, "iam", "heads", "mask_features"), "output 'mask_features' is float32");

        List<Node> nodes = new ArrayList<>(g.nodes());
        ConvGeometry wider = ConvGeometry.simple(3, d + 1, 3, 1, 1);
        nodes.add(new Node(Randoms.conv(rnd, 8, wider, Randoms.thresholds(rnd, d + 1, 100, 2)), new int[] {0}));
        nodes.add(new Node(new FloatConvOp(d, 3 + d, new float[d * (3 + d)], new float[3 + d]), new int[] {1}));
        Graph extended = new Graph(g.input(), nodes, new int[] {5}, List.of("iam"));
        // Tensor 6: u2[5x8x10] mask features with D + 1 channels; tensor 7: heads at the mask-feature size.
        assertRefused(withOutputs(extended, new int[] {5, 3, 6}, "iam", "heads", "mask_features"), "D = 4");
        assertRefused(withOutputs(extended, new int[] {5, 7, 1}, "iam", "heads", "mask_features"), "same height and width");
        assertRefused(withOutputs(extended, new int[] {5, 5, 1}, "iam", "heads", "mask_features"), "D = 0");
    }

    @Test
    void badThresholdsInTheMetadataAreNamed() {
        SplittableRandom rnd = new SplittableRandom(10);
        Model model = SparseInstModels.model(rnd, new Shape(8, 8, 2, 3, 1, 0), Map.of());
        String[][] bad = {
            {"score_threshold", "high"}, {"score_threshold", "1.5"}, {"score_threshold", "-0.1"},
            {"mask_threshold", "0"}, {"mask_threshold", "1"}, {"mask_threshold", "NaN"},
            {"max_instances", "0"}, {"max_instances", "2.5"},
        };
        for (String[] entry : bad) {
            assertRefused(withMetadata(model, entry[0], entry[1]), entry[0]);
        }
    }

    @Test
    void anEngineWithOtherOutputShapesIsRefused() {
        SplittableRandom rnd = new SplittableRandom(11);
        Model a = SparseInstModels.model(rnd, new Shape(8, 8, 2, 3, 1, 0), Map.of());
        Model b = SparseInstModels.model(rnd, new Shape(10, 8, 2, 3, 1, 0), Map.of());
        InferenceEngine engine = runOnRandomInput(rnd, b);
        assertThatThrownBy(() -> new SparseInstDecoder(a).decode(engine, 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iam");
        assertThatThrownBy(() -> new SparseInstDecoder(b).decode(engine, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10");
    }

    private static void assertRefused(Model model, String message) {
        assertThatThrownBy(() -> new SparseInstDecoder(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static Model withOutputs(Graph g, int[] outputs, String... names) {
        return new Model("broken", "1", new Graph(g.input(), g.nodes(), outputs, List.of(names)),
                Map.of("decoder", SparseInstDecoder.DECODER_ID));
    }

    private static Model withMetadata(Model model, String key, String value) {
        Map<String, String> metadata = new LinkedHashMap<>(model.metadata());
        metadata.put(key, value);
        return new Model(model.name(), model.version(), model.graph(), metadata);
    }
}
