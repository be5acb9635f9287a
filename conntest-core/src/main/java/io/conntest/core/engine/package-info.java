/**
 * The conntest engine: configuration and its parsers, sessions (the protocol state machine per connection),
 * reconnecting peers, the single-threaded core and the threaded {@link io.conntest.core.engine.Engine} entry point.
 * Talks to the network only through {@link io.conntest.core.transport.Transport}; publishes only through
 * {@link io.conntest.core.event.EngineListener} and snapshots.
 */
package io.conntest.core.engine;
