/**
 * How a command ends: the exit statuses ({@link io.conntest.cli.exit.ExitStatus}), the failures that carry them
 * ({@link io.conntest.cli.exit.CliFailure} and its kinds) and the one place that prints them
 * ({@link io.conntest.cli.exit.Failures}). The lowest package of the cli module with {@code options}: it imports
 * no other cli package.
 */
package io.conntest.cli.exit;
