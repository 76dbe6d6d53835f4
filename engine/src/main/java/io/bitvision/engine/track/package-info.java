/** Per-camera object tracking: stable track ids across frames, with a versioned snapshot for checkpoints. */
package io.bitvision.engine.track;
