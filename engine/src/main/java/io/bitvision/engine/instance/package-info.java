/**
 * From a network's outputs to full-frame instances: components of a foreground map, or per-instance masks of an
 * {@link io.bitvision.engine.instance.InstanceDecoder} (SparseInst-style or centre-based, chosen by
 * {@link io.bitvision.engine.instance.InstanceDecoders}); boxes, areas, COCO run lengths.
 */
package io.bitvision.engine.instance;
