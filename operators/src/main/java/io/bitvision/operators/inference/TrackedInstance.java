package io.bitvision.operators.inference;

import io.bitvision.engine.instance.MaskInstance;

/** An instance of one frame with the track id the camera's tracker gave it. */
public record TrackedInstance(long trackId, MaskInstance instance) {}
