/**
 * What the live benches share: running the job on a MiniCluster ({@link io.bitvision.benchmarks.live.LiveJob}),
 * watching committed records ({@link io.bitvision.benchmarks.live.LiveWatcher}, {@link io.bitvision.benchmarks.live.CommitWatcher}),
 * sampling CPU and memory, percentiles, charts and the machine line every report carries. The benches themselves live
 * one package per kind: {@code pipeline}, {@code scale}, {@code faults}, {@code soak}, {@code faces}; {@code engine}
 * holds the JMH ones.
 */
package io.bitvision.benchmarks.live;
