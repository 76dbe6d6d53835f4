/**
 * From a network's outputs to full-frame instances: components of a foreground map, or SparseInst-style
 * per-instance masks ({@link io.bitvision.engine.instance.SparseInstDecoder}); boxes, areas, COCO run lengths.
 */
package io.bitvision.engine.instance;
