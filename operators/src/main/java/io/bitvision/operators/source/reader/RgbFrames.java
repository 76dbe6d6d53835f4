package io.bitvision.operators.source.reader;

import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/** Pixels of a decoded frame as the source emits them: tight interleaved RGB. */
public final class RgbFrames {
    private RgbFrames() {}

    /** Copies the grabber's RGB24 image (rows {@code imageStride} apart) into a tight {@code w*h*3} array. */
    public static byte[] copy(Frame frame) {
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        int stride = frame.imageStride;
        int row = width * 3;
        if (stride < row) { // imageChannels is stride/width in JavaCV, wrong for padded rows: check the stride
            throw new IllegalStateException("Expected RGB24 rows of " + row + " bytes, stride is " + stride);
        }
        ByteBuffer src = (ByteBuffer) frame.image[0];
        byte[] rgb = new byte[row * height];
        if (stride == row) {
            src.get(0, rgb, 0, rgb.length);
        } else {
            for (int y = 0; y < height; y++) {
                src.get(y * stride, rgb, y * row, row);
            }
        }
        return rgb;
    }
}
