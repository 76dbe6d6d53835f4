/**
 * Scoring a person model on hand-labelled frames of one scene: the label file format, box matching with ignore
 * regions, per-scene figures, and a contact sheet to check the labels and the detections by eye.
 */
package io.bitvision.cli.eval;
