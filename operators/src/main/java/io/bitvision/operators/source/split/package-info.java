/**
 * Splits of the camera source: one {@link io.bitvision.operators.source.split.CameraSplit} per camera (immutable),
 * its mutable progress {@link io.bitvision.operators.source.split.CameraSplitState} and the versioned
 * {@link io.bitvision.operators.source.split.CameraSplitSerializer}. Internal to the source; public only because
 * Flink's {@code Source} interface exposes the split type.
 */
package io.bitvision.operators.source.split;
