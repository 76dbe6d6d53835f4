/** Kafka output: Avro single-object encoded records keyed by camera id, one exactly-once sink for every topic. */
package io.bitvision.operators.kafka;
