/** Reading what the job committed (read_committed) and auditing it: every frame once, no gaps, health events by camera. */
package io.bitvision.testkit.audit;
