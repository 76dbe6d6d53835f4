/** From a network's low-resolution masks to full-frame instances: components, boxes, areas, COCO run lengths. */
package io.bitvision.engine.instance;
