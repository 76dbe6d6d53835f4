package io.bitvision.engine.model;

/** Names of the {@link Model#metadata()} entries our exporter writes; docs/model-format.md explains each. */
public final class MetadataKeys {
    public static final String TASK = "task";
    public static final String DECODER = "decoder";
    /** Comma-separated class names; a class id is an index into this list. */
    public static final String CLASSES = "classes";
    public static final String INPUT_ORDER = "input.order";
    public static final String INPUT_RESIZE = "input.resize";
    public static final String SCORE_THRESHOLD = "score_threshold";
    public static final String MASK_THRESHOLD = "mask_threshold";
    public static final String MAX_INSTANCES = "max_instances";
    /** centerinst-v1: least heatmap probability of an instance centre. */
    public static final String PEAK_THRESHOLD = "peak_threshold";
    /** centerinst-v1: factor on the spatial prior of the mask logits. */
    public static final String SPATIAL_SCALE = "spatial_scale";
    /** Comma-separated tensor ids a plain per-scale-skip U-Net would keep alive until its decoder. */
    public static final String SKIP_PLAIN_TENSORS = "skip.plain_tensors";
    /** Tensor id of the single map a UNet-- keeps instead of the per-scale skips. */
    public static final String SKIP_MAP_TENSOR = "skip.map_tensor";
    /** centerinst-v1: "all" (default) keeps every on cell of a mask, "nearest" the piece nearest the centre. */
    public static final String MASK_COMPONENT = "mask_component";
    public static final String TRAIN_RECIPE = "train.recipe";
    /** centerface-v1: most faces kept per frame. */
    public static final String MAX_FACES = "max_faces";
    /** centerface-v1: input pixels per output cell. */
    public static final String STRIDE = "stride";
    /** centerface-v1: face size in input pixels that a log-size head value of 0 stands for. */
    public static final String SIZE_BASE = "size_base";

    private MetadataKeys() {}
}
