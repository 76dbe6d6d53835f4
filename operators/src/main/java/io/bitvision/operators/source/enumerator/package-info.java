/**
 * The enumerator of the camera source (runs on the JobManager): assigns one split per camera, takes cameras added
 * at run time, and its checkpointed state with the versioned serializer. Internal to the source.
 */
package io.bitvision.operators.source.enumerator;
