/** {@code cluster up|down|status}, {@code verify-cluster}, {@code verify-upgrade}: the local cluster's commands. */
package io.bitvision.cli.cluster;
