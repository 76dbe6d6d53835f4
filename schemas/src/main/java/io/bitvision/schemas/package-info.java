/**
 * The Avro contracts of bitvision's Kafka records. The record classes are generated from
 * {@code src/main/avro/*.avsc}; {@link io.bitvision.schemas.AvroRecords} turns them into Avro single-object
 * encoded messages and back, {@link io.bitvision.schemas.PublishedRecords} lists the top-level records.
 * Decoding needs {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.bitvision.schemas} (see docs/pipeline.md).
 */
package io.bitvision.schemas;
