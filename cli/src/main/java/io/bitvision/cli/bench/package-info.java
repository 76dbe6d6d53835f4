/** The bench commands ({@code bench engine|pipeline|scale|faults|faces}, {@code soak}): their options, checked, handed to the benchmarks module. */
package io.bitvision.cli.bench;
