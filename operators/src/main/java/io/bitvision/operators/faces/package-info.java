/**
 * Face-match events: embeddings of tracked instances matched against a watchlist kept in Flink broadcast state
 * and updated live from a Kafka topic. Embedders: a test stand-in (colour layout of the instance's box) and a
 * float ONNX backend for SFace-layout models (box crop for now); the face issue brings detection, landmark
 * alignment and the SFace-trained embedder behind the same interface.
 */
package io.bitvision.operators.faces;
