/**
 * {@code ./bitvision bench faults}: healthy cameras next to faulty ones (stalls, garbage, outages), and the chart of
 * their frames per second.
 */
package io.bitvision.benchmarks.faults;
