/** A real cluster on one machine without Docker (a Kafka broker and a Flink standalone session cluster as their own JVMs) and the checks run on it: a TaskManager killed mid-stream, a stop-with-savepoint upgrade. */
package io.bitvision.localcluster;
