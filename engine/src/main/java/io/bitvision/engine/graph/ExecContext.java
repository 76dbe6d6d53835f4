package io.bitvision.engine.graph;

import io.bitvision.engine.kernel.ConvKernel;

/** What an operator may use while it runs: the engine's kernel and its scratch area. One per engine instance. */
public record ExecContext(ConvKernel convKernel, long[] scratch) {}
