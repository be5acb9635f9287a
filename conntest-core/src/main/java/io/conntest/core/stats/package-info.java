/**
 * Statistics: the mutable per-connection counters the engine thread keeps ({@code ConnectionStats}) and the
 * immutable snapshots it publishes to other threads. No I/O, no protocol logic.
 */
package io.conntest.core.stats;
