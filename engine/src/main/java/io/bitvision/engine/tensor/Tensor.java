package io.bitvision.engine.tensor;

/** A view of one activation over part of an arena array. Views never allocate when read or written. */
public sealed interface Tensor permits BitTensor, IntTensor, FloatTensor {
    TensorSpec spec();

    /** Integer value at (channel, y, x); padding value outside the frame for bit tensors with a halo. */
    int intValue(int channel, int y, int x);

    float floatValue(int channel, int y, int x);

    /** Size in bytes of the storage this tensor occupies, halo included. */
    long storageBytes();
}
