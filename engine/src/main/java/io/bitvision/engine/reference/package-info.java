/**
 * Plain reference implementations of every operator, on unpacked values with obvious loops and
 * multiplications. Written to be read, not to be fast, and never removed: tests compare the fast kernels with
 * them bit for bit.
 */
package io.bitvision.engine.reference;
