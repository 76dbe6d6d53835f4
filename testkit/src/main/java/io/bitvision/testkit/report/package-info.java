/** The JSON the commands that report numbers write (bench-results/*.json). */
package io.bitvision.testkit.report;
