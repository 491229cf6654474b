/**
 * The {@code hpsweep} command line (picocli): one class per subcommand, exit codes 0 (ok),
 * 1 (the sweep or the program failed), 2 (bad input), and one place, {@link dev.hpsweep.cli.Main},
 * that maps exceptions to them. May use every other package.
 */
package dev.hpsweep.cli;
