/**
 * Parsing of option values (addresses, listen specs, durations) into small validated values, with error messages
 * that name the bad value. Knows nothing of picocli or the stack.
 */
package io.conntest.cli.options;
