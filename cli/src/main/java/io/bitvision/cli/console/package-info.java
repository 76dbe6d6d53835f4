/**
 * The operators' console: an HTTP server that reads the job's topics as a read_committed consumer and shows cameras,
 * masks, face matches, health and the watchlist live in a browser; enrols and deletes watchlist identities.
 */
package io.bitvision.cli.console;
