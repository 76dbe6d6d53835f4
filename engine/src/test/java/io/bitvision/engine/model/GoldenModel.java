package io.bitvision.engine.model;

import io.bitvision.engine.graph.ConcatOp;
import io.bitvision.engine.graph.FloatConvOp;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.graph.Node;
import io.bitvision.engine.graph.PixelShuffleOp;
import io.bitvision.engine.graph.PoolOp;
import io.bitvision.engine.graph.SigmoidOp;
import io.bitvision.engine.graph.UpsampleOp;
import io.bitvision.engine.kernel.ConvGeometry;
import io.bitvision.engine.kernel.OutputTransform;
import io.bitvision.engine.testing.Randoms;
import io.bitvision.engine.tensor.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The deterministic models behind src/test/resources/models/format-v1.bvm and format-v2.bvm (the same graph, the
 * second with metadata). Run main to write the current version's file, only when a new format version is
 * introduced (then keep the old files under their own names).
 */
final class GoldenModel {
    private GoldenModel() {}

    /** The version-2 golden model: {@link #build()}'s graph with metadata, non-ASCII text included. */
    static Model buildV2() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task", "instance-segmentation");
        metadata.put("decoder", "sparseinst-v1");
        metadata.put("classes", "person");
        metadata.put("score_threshold", "0.3");
        metadata.put("skip.plain_tensors", "2,4");
        metadata.put("train.recipe", "golden file, no training; naïve ünïcode ✓");
        metadata.put("", "an empty key is allowed");
        return new Model("golden-v2", "2.0.0", build().graph(), metadata);
    }

    static Model build() {
        SplittableRandom rnd = new SplittableRandom(2026);
        TensorSpec input = TensorSpec.bits(8, 3, 16, 16);
        ConvGeometry stem = new ConvGeometry(3, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        ConvGeometry strip = new ConvGeometry(32, 32, 1, 7, 1, 1, 0, 3, 1, 1, 32);
        ConvGeometry mix = ConvGeometry.simple(32, 16, 1, 1, 0);
        List<Node> nodes = List.of(
                new Node(Randoms.conv(rnd, 8, stem, Randoms.thresholds(rnd, 32, 200, 1)), new int[] {0}),
                new Node(Randoms.conv(rnd, 1, strip, Randoms.thresholds(rnd, 32, 3, 2)), new int[] {1}),
                new Node(new PoolOp(PoolOp.Kind.MAX, 3, 1, 1), new int[] {2}),
                new Node(new PixelShuffleOp(2, true), new int[] {3}),
                new Node(new UpsampleOp(2), new int[] {4}),
                new Node(new ConcatOp(), new int[] {5, 3}),
                new Node(Randoms.conv(rnd, 2, new ConvGeometry(32 * 4 + 32, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                        new OutputTransform.IntBias(new int[16])), new int[] {6}),
                new Node(new FloatConvOp(16, 2, new float[32], new float[] {0.5f, -0.5f}), new int[] {7}),
                new Node(new SigmoidOp(), new int[] {8}));
        return new Model("golden-v1", "1.0.0", new Graph(input, nodes, new int[] {9, 7}, List.of("scores", "features")));
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "engine/src/test/resources/models/format-v2.bvm");
        Files.createDirectories(out.getParent());
        ModelWriter.write(buildV2(), out);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }
}
