/**
 * {@code ./bitvision bench pipeline}: throughput and latency of the whole streaming job next to its parts (decode
 * alone, engine alone) on the sample video, with a profile of where the job's time goes. Internal: the entry point
 * is {@link io.bitvision.benchmarks.live.PipelineBench}; everything else here serves it.
 */
package io.bitvision.benchmarks.live;
