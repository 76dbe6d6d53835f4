/**
 * {@code ./bitvision bench faces}: the face models' speed and the face-match event latency end to end.
 */
package io.bitvision.benchmarks.faces;
