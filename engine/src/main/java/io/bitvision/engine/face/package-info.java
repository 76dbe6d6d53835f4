/**
 * Face crops for embedders: a least-squares {@link io.bitvision.engine.face.SimilarityTransform} from a detector's
 * five landmarks to SFace's 112x112 template, and the bilinear warp of {@link io.bitvision.engine.face.FaceAligner}.
 * The training side's {@code bitvision_train/face/align.py} is the same estimate and warp.
 */
package io.bitvision.engine.face;
