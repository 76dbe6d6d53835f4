package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.ReferenceDecoding.Candidate;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The centerinst-v1 decoding written out plainly for tests, step by step as docs/model-format.md lists it. */
final class ReferenceCenterInst {
    record Settings(double scoreThreshold, double maskThreshold, int maxInstances, double peakThreshold,
                    double spatialScale) {}

    /** A heatmap cell that is a peak. */
    record Peak(int y, int x, float heat) {}

    /** Step 1: the peaks, hottest first, ties in raster order, at most {@code maxInstances}. */
    static List<Peak> peaks(Tensor heatmap, double peakThreshold, int maxInstances) {
        TensorSpec s = heatmap.spec();
        List<Peak> peaks = new ArrayList<>();
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                float heat = heatmap.floatValue(0, y, x);
                boolean peak = heat >= peakThreshold;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int ny = y + dy;
                        int nx = x + dx;
                        if (ny >= 0 && ny < s.height() && nx >= 0 && nx < s.width() && heatmap.floatValue(0, ny, nx) > heat) {
                            peak = false;
                        }
                    }
                }
                if (peak) {
                    peaks.add(new Peak(y, x, heat));
                }
            }
        }
        // The list is in raster order and the sort is stable.
        peaks.sort(Comparator.comparingDouble((Peak p) -> p.heat()).reversed());
        return peaks.subList(0, Math.min(maxInstances, peaks.size()));
    }

    /** Steps 2 to 5 for every peak; index = the peak's rank. */
    static List<Candidate> candidates(InferenceEngine engine, Settings settings, int frameHeight, int frameWidth) {
        Tensor heatmap = engine.output("heatmap");
        Tensor heads = engine.output("heads");
        Tensor features = engine.output("mask_features");
        int h = heatmap.spec().height();
        int w = heatmap.spec().width();
        TensorSpec fs = features.spec();
        int d = fs.channels();
        List<Peak> peaks = peaks(heatmap, settings.peakThreshold(), settings.maxInstances());
        List<Candidate> out = new ArrayList<>();
        for (int rank = 0; rank < peaks.size(); rank++) {
            Peak peak = peaks.get(rank);
            double total = 0;
            double cu = 0;
            double cv = 0;
            double[] v = new double[4 + d];
            for (int y = peak.y() - 1; y <= peak.y() + 1; y++) {
                for (int x = peak.x() - 1; x <= peak.x() + 1; x++) {
                    if (y < 0 || y >= h || x < 0 || x >= w) {
                        continue;
                    }
                    double a = heatmap.floatValue(0, y, x);
                    total += a;
                    cu += a * (x + 0.5) / w;
                    cv += a * (y + 0.5) / h;
                    for (int c = 0; c < v.length; c++) {
                        v[c] += a * heads.floatValue(c, y, x);
                    }
                }
            }
            for (int c = 0; c < v.length; c++) {
                v[c] /= total;
            }
            cu /= total;
            cv /= total;
            double score = Math.sqrt(peak.heat() * ReferenceDecoding.sigmoid(v[0]));
            double[][] cellLogits = new double[fs.height()][fs.width()];
            for (int y = 0; y < fs.height(); y++) {
                for (int x = 0; x < fs.width(); x++) {
                    double m = 0;
                    for (int c = 0; c < d; c++) {
                        m += v[1 + c] * features.intValue(c, y, x);
                    }
                    double u = (x + 0.5) / fs.width();
                    double vv = (y + 0.5) / fs.height();
                    m += v[1 + d] + settings.spatialScale() * (v[2 + d] * (u - cu) * (u - cu) + v[3 + d] * (vv - cv) * (vv - cv));
                    cellLogits[y][x] = m;
                }
            }
            out.add(ReferenceDecoding.candidate(rank, score, cellLogits, settings.scoreThreshold(),
                    settings.maskThreshold(), frameHeight, frameWidth));
        }
        return out;
    }

    private ReferenceCenterInst() {}
}
