/**
 * {@code ./bitvision bench scale}: how many cameras one task slot keeps up with, on a MiniCluster or the local
 * standalone cluster.
 */
package io.bitvision.benchmarks.scale;
