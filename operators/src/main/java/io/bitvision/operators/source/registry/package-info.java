/**
 * The camera registry: a compacted Kafka topic (key = camera id, value = stream URI, UTF-8) from which a running
 * job learns new cameras without a restart.
 */
package io.bitvision.operators.source.registry;
