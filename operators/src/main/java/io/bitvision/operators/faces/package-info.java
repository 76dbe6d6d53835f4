/**
 * Face-match events: embeddings of tracked instances matched against a watchlist kept in Flink broadcast state
 * and updated live from a Kafka topic. The embedder here is a test stand-in (colour layout of the instance's
 * box); the face issue brings detection, alignment and the SFace-trained embedder behind the same interface.
 */
package io.bitvision.operators.faces;
