/** Video clips for tests, benches and the demo: the sample video from Debian's opencv-doc, cut and re-encoded clips, frame rates. */
package io.bitvision.testkit.clips;
