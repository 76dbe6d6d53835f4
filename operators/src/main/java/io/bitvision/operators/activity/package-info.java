/**
 * Per-camera activity: people counted over fixed blocks of frames ({@link io.bitvision.operators.activity.CameraActivityFunction}),
 * from the per-frame summaries the inference step emits as a side output.
 */
package io.bitvision.operators.activity;
