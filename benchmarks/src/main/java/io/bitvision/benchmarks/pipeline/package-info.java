/**
 * {@code ./bitvision bench pipeline}: the whole job's throughput and latency next to decode alone and the engine alone,
 * with per-stage costs and an optional JFR profile.
 */
package io.bitvision.benchmarks.pipeline;
