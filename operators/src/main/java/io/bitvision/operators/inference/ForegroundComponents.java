package io.bitvision.operators.inference;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.graph.Graph;
import io.bitvision.engine.instance.ComponentInstances;
import io.bitvision.engine.instance.FrameGrid;
import io.bitvision.engine.instance.MaskInstance;
import io.bitvision.engine.model.Model;
import io.bitvision.engine.tensor.BitTensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.List;

/**
 * Instances of a model with one binary {@value FrameAnalyzer#FOREGROUND_OUTPUT} map: each 4-connected component
 * of at least {@code minCells} cells is one instance of class 0 with score 1 (such a map has no scores).
 */
public final class ForegroundComponents implements InstanceExtractor {
    private final byte[] foreground;
    private final int minCells;

    public ForegroundComponents(Model model, int minCells) {
        Graph graph = model.graph();
        int index = graph.outputNames().indexOf(FrameAnalyzer.FOREGROUND_OUTPUT);
        if (index < 0) {
            throw new IllegalArgumentException("model '" + model.name() + "' has neither an instance decoder in its "
                    + "metadata nor an output '" + FrameAnalyzer.FOREGROUND_OUTPUT + "'; its outputs are "
                    + graph.outputNames());
        }
        TensorSpec out = graph.spec(graph.outputs()[index]);
        if (!out.isBinary() || out.channels() != 1) {
            throw new IllegalArgumentException("model '" + model.name() + "' output '" + FrameAnalyzer.FOREGROUND_OUTPUT
                    + "' must be a one-channel binary map, is " + out);
        }
        this.foreground = new byte[out.height() * out.width()];
        this.minCells = minCells;
    }

    @Override
    public List<MaskInstance> extract(InferenceEngine engine, int frameHeight, int frameWidth) {
        BitTensor map = (BitTensor) engine.output(FrameAnalyzer.FOREGROUND_OUTPUT);
        int rows = map.spec().height();
        int cols = map.spec().width();
        for (int r = 0; r < rows; r++) {
            int at = map.index(0, 0, r, 0);
            for (int c = 0; c < cols; c++) {
                foreground[r * cols + c] = (byte) (map.data()[at + c] & 1);
            }
        }
        return ComponentInstances.extract(foreground, new FrameGrid(rows, cols, frameHeight, frameWidth), minCells, 0, 1f);
    }
}
