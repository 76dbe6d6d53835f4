/**
 * The live benches of the whole job: {@link io.bitvision.benchmarks.live.PipelineBench} (throughput and latency next
 * to decode alone and the engine alone), {@link io.bitvision.benchmarks.live.ScaleBench} (cameras per slot),
 * {@link io.bitvision.benchmarks.live.FaultBench} (healthy cameras next to faulty ones),
 * {@link io.bitvision.benchmarks.live.SoakRun} (memory over a long run) and {@link io.bitvision.benchmarks.live.FaceBench}
 * (face models and face-event latency). Each takes an {@code Options} record; the CLI's bench commands build it.
 */
package io.bitvision.benchmarks.live;
