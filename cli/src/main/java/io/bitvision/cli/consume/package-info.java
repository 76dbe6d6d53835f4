/** {@code consume}'s output: single-object encoded Avro records of every published type as JSON lines. */
package io.bitvision.cli.consume;
