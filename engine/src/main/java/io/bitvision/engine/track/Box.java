package io.bitvision.engine.track;

/** An axis-aligned box in pixels, COCO convention: top-left corner, width, height. */
public record Box(float x, float y, float width, float height) {
    public Box {
        if (!(width >= 0 && height >= 0) || !Float.isFinite(x) || !Float.isFinite(y)) {
            throw new IllegalArgumentException("invalid box " + x + "," + y + "," + width + "," + height);
        }
    }

    public float area() {
        return width * height;
    }

    /** Intersection over union; 0 for two empty boxes. */
    public float iou(Box other) {
        float ix = Math.max(0f, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
        float iy = Math.max(0f, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
        float intersection = ix * iy;
        float union = area() + other.area() - intersection;
        return union <= 0f ? 0f : intersection / union;
    }
}
