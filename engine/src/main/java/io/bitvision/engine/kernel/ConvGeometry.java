package io.bitvision.engine.kernel;

/**
 * Shape of a convolution: k x k (or strip 1 x k / k x 1), stride, symmetric padding, dilation and groups.
 * Output size follows the usual rule: {@code (in + 2*pad - dilation*(kernel-1) - 1) / stride + 1}.
 */
public record ConvGeometry(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                           int padH, int padW, int dilationH, int dilationW, int groups) {
    public static final int MAX_KERNEL = 64;

    public ConvGeometry {
        require(inChannels >= 1 && outChannels >= 1, "channels must be positive");
        require(kernelH >= 1 && kernelW >= 1 && kernelH <= MAX_KERNEL && kernelW <= MAX_KERNEL,
                "kernel " + kernelH + "x" + kernelW + " out of 1.." + MAX_KERNEL);
        require(strideH >= 1 && strideW >= 1 && strideH <= MAX_KERNEL && strideW <= MAX_KERNEL, "stride out of range");
        require(padH >= 0 && padW >= 0 && padH <= MAX_KERNEL && padW <= MAX_KERNEL, "padding out of range");
        require(dilationH >= 1 && dilationW >= 1 && dilationH <= MAX_KERNEL && dilationW <= MAX_KERNEL, "dilation out of range");
        require(groups >= 1 && inChannels % groups == 0 && outChannels % groups == 0,
                "groups " + groups + " must divide in " + inChannels + " and out " + outChannels + " channels");
    }

    public static ConvGeometry simple(int in, int out, int kernel, int stride, int pad) {
        return new ConvGeometry(in, out, kernel, kernel, stride, stride, pad, pad, 1, 1, 1);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int outHeight(int inHeight) {
        return (inHeight + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    public int outWidth(int inWidth) {
        return (inWidth + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
    }

    public boolean fitsInput(int inHeight, int inWidth) {
        return inHeight + 2 * padH - dilationH * (kernelH - 1) - 1 >= 0
                && inWidth + 2 * padW - dilationW * (kernelW - 1) - 1 >= 0;
    }

    public int taps() {
        return kernelH * kernelW;
    }

    public int inPerGroup() {
        return inChannels / groups;
    }

    public int outPerGroup() {
        return outChannels / groups;
    }

    /** Multiply-accumulates per output value. */
    public long macsPerOutput() {
        return (long) taps() * inPerGroup();
    }
}
