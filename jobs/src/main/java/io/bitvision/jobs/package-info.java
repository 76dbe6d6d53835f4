/** Job entry points, configuration and the command line behind {@code ./bitvision}. */
package io.bitvision.jobs;
