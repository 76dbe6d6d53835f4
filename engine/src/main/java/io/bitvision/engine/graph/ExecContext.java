package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.ConvKernel;

/**
 * What an operator may use while it runs: the engine's kernel and its scratch areas (sized by the memory plan
 * from {@link Op#scratchLongs}, {@link Op#secondScratchLongs} and {@link Op#scratchFloats}). One per engine thread.
 */
public record ExecContext(ConvKernel convKernel, long[] scratch, long[] secondScratch, float[] floatScratch) {}
