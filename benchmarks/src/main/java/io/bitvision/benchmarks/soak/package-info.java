/**
 * {@code ./bitvision soak}: memory and latency over a long run, its growth measure and its chart.
 */
package io.bitvision.benchmarks.soak;
