/**
 * A single-node Kafka (KRaft, combined broker and controller) for local runs and tests, bound to 127.0.0.1.
 *
 * <p>Public: {@link io.bitvision.testkit.broker.EmbeddedKafkaBroker} runs it inside the calling JVM (temporary storage
 * by default); {@link io.bitvision.testkit.broker.StandaloneBroker} runs it as its own process on persistent storage.
 * Both use the same settings ({@code SingleNodeConfig}) so that transactions, and with them Flink's exactly-once
 * Kafka sink, work on one node. Everything else in the package is internal.
 */
package io.bitvision.testkit.broker;
