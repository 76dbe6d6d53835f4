/**
 * Post-processing of model outputs into what downstream consumers read. Public: {@link
 * io.bitvision.engine.post.CocoRle}, COCO's run-length encoding of instance masks, bit for bit the same as
 * pycocotools (maskApi.c).
 */
package io.bitvision.engine.post;
