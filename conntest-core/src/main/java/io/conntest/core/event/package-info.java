/**
 * Timestamped engine events and the {@link io.conntest.core.event.EngineListener} a UI implements. Immutable values
 * only; may not reach into the engine or transports.
 */
package io.conntest.core.event;
