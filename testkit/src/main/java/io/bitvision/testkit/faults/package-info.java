/**
 * Cameras that misbehave the ways real ones do, served on loopback for tests and {@code bench faults}: a live stream
 * that disconnects and comes back ({@link io.bitvision.testkit.faults.LiveClipServer}), and cameras that accept a
 * connection and never answer or answer with garbage ({@link io.bitvision.testkit.faults.BadCameraServer}).
 */
package io.bitvision.testkit.faults;
