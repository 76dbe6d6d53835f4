/**
 * Activation tensors and the one place that owns the bit-packing facts: channels packed 64 to a long,
 * k-bit activations stored as k bit-planes, padding bits always zero, a zero halo around bit tensors.
 */
package io.bitvision.engine.tensor;
