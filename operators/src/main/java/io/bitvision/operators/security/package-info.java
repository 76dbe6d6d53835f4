/** Keeping secrets (Kafka client passwords, JAAS settings, camera URL credentials) out of what the job prints. */
package io.bitvision.operators.security;
