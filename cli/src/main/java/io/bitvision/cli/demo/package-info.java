/** {@code demo}: the job on the embedded default (MiniCluster + in-process broker) checked as a consumer would, and the overlay of masks and track ids it draws. */
package io.bitvision.cli.demo;
