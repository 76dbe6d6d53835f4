package io.bitvision.engine.instance;

import io.bitvision.engine.InferenceEngine;
import io.bitvision.engine.instance.ReferenceDecoding.Candidate;
import io.bitvision.engine.tensor.Tensor;
import io.bitvision.engine.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/** The sparseinst-v1 decoding written out plainly for tests (see {@link ReferenceDecoding}). */
final class ReferenceSparseInst {
    /** Every instance's final score and, for those that pass the thresholds, the full-frame logits. */
    static List<Candidate> candidates(InferenceEngine engine, double scoreThreshold, double maskThreshold,
                                      int frameHeight, int frameWidth) {
        Tensor iam = engine.output("iam");
        Tensor heads = engine.output("heads");
        Tensor features = engine.output("mask_features");
        TensorSpec is = iam.spec();
        TensorSpec fs = features.spec();
        int d = fs.channels();
        List<Candidate> out = new ArrayList<>();
        for (int n = 0; n < is.channels(); n++) {
            double sum = 0;
            for (int y = 0; y < is.height(); y++) {
                for (int x = 0; x < is.width(); x++) {
                    sum += iam.floatValue(n, y, x);
                }
            }
            double[] v = new double[3 + d];
            for (int c = 0; c < v.length; c++) {
                double weighted = 0;
                for (int y = 0; y < is.height(); y++) {
                    for (int x = 0; x < is.width(); x++) {
                        weighted += (double) iam.floatValue(n, y, x) * heads.floatValue(c, y, x);
                    }
                }
                v[c] = weighted / (sum + 1e-6f);
            }
            double score = Math.sqrt(ReferenceDecoding.sigmoid(v[0]) * ReferenceDecoding.sigmoid(v[1]));
            double[][] cellLogits = new double[fs.height()][fs.width()];
            for (int y = 0; y < fs.height(); y++) {
                for (int x = 0; x < fs.width(); x++) {
                    double m = v[2 + d];
                    for (int c = 0; c < d; c++) {
                        m += v[2 + c] * features.intValue(c, y, x);
                    }
                    cellLogits[y][x] = m;
                }
            }
            out.add(ReferenceDecoding.candidate(n, score, cellLogits, scoreThreshold, maskThreshold, frameHeight, frameWidth));
        }
        return out;
    }

    private ReferenceSparseInst() {}
}
