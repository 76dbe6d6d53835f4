package io.bitvision.benchmarks.engine.onnx;

/** Geometry of one 2-D convolution over a single NCHW image (batch 1, dilation 1, symmetric padding). */
public record ConvShape(
        int inChannels, int outChannels,
        int kernelH, int kernelW,
        int strideH, int strideW,
        int padH, int padW,
        int groups,
        int height, int width) {

    public ConvShape {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "groups " + groups + " must divide in " + inChannels + " and out " + outChannels + " channels");
        }
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("bad kernel, stride or padding: " + this);
        }
        if (height + 2 * padH < kernelH || width + 2 * padW < kernelW) {
            throw new IllegalArgumentException("kernel larger than padded input: " + this);
        }
    }

    public int outHeight() {
        return (height + 2 * padH - kernelH) / strideH + 1;
    }

    public int outWidth() {
        return (width + 2 * padW - kernelW) / strideW + 1;
    }

    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    public long[] inputDims() {
        return new long[] {1, inChannels, height, width};
    }

    public long[] outputDims() {
        return new long[] {1, outChannels, outHeight(), outWidth()};
    }

    /** ONNX Conv weight layout: [outC, inC / groups, kH, kW]. */
    public long[] weightDims() {
        return new long[] {outChannels, inChannelsPerGroup(), kernelH, kernelW};
    }

    public int weightCount() {
        return outChannels * inChannelsPerGroup() * kernelH * kernelW;
    }
}
