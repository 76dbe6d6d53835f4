/** Opt-in downscaled JPEG previews of processed frames, for the operators' console. */
package io.bitvision.operators.preview;
