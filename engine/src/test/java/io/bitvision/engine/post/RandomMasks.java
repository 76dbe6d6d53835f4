package io.bitvision.engine.post;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random row-major masks of every texture a segmenter can produce: empty, full, noise, blobs, stripes. */
final class RandomMasks {
    private RandomMasks() {
    }

    static byte[] next(SplittableRandom random, int height, int width) {
        byte[] mask = new byte[height * width];
        switch (random.nextInt(6)) {
            case 0 -> {
                // all background
            }
            case 1 -> Arrays.fill(mask, (byte) 1);
            case 2 -> noise(random, mask, random.nextDouble());
            case 3 -> blobs(random, mask, height, width, 1 + random.nextInt(4));
            case 4 -> noise(random, mask, random.nextDouble() < 0.5 ? 0.02 : 0.98);
            default -> stripes(random, mask, height, width);
        }
        return mask;
    }

    private static void noise(SplittableRandom random, byte[] mask, double density) {
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (random.nextDouble() < density ? 1 : 0);
        }
    }

    private static void blobs(SplittableRandom random, byte[] mask, int height, int width, int count) {
        for (int blob = 0; blob < count; blob++) {
            int x0 = random.nextInt(width);
            int y0 = random.nextInt(height);
            int x1 = x0 + random.nextInt(width - x0);
            int y1 = y0 + random.nextInt(height - y0);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    mask[y * width + x] = 1;
                }
            }
        }
    }

    private static void stripes(SplittableRandom random, byte[] mask, int height, int width) {
        int period = 1 + random.nextInt(Math.max(1, height));
        for (int y = 0; y < height; y++) {
            if ((y / period) % 2 == 0) {
                Arrays.fill(mask, y * width, (y + 1) * width, (byte) 1);
            }
        }
    }
}
