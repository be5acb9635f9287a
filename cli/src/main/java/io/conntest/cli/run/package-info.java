/**
 * Running one instance with its own stack on a frame device: building the device chain (TAP, pcap writer) and
 * the stack, the listeners, and the single-thread poll loop that sleeps in the device until the next deadline.
 * Knows nothing of the command line's syntax.
 */
package io.conntest.cli.run;
