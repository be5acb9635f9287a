/** conntest itself: the protocol, the engine (sessions, scheduling, reconnect), statistics and transports. */
package io.conntest.core;
