package io.bitvision.operators.source.kafka;

/**
 * A decoded image: interleaved RGB, row-major, {@code width * height * 3} bytes (the layout of
 * {@link io.bitvision.operators.source.CameraRecord#rgb}).
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1 || rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("need width, height >= 1 and width*height*3 bytes, got " + width + "x"
                    + height + " and " + (rgb == null ? "null" : rgb.length + " bytes"));
        }
    }

    /** The red, green and blue values (0-255) of pixel (x, y). */
    public int[] pixel(int x, int y) {
        int i = (y * width + x) * 3;
        return new int[] {rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF};
    }
}
