/** The commands behind {@code ./bitvision} on picocli: {@link io.bitvision.cli.BitvisionCli} is the command tree, one class per command, mixins for the person and face models. Internal to the launcher. */
package io.bitvision.cli;
