/**
 * The Flink job and nothing else: {@link io.bitvision.jobs.pipeline.PipelineJob} wires the camera source, inference,
 * face matching and the exactly-once Kafka sinks; {@link io.bitvision.jobs.pipeline.PipelineArgs} is its command line
 * (one definition for {@code ./bitvision run} and {@code flink run}); {@link io.bitvision.jobs.pipeline.PipelineMain}
 * its entry point in the shaded job jar. Public: what a cluster runs.
 */
package io.bitvision.jobs.pipeline;
