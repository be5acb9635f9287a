/**
 * Private Linux network namespaces for tests, demos and the lab: creating and removing them (also from a shutdown
 * hook), configuring devices inside them with iproute2, and running Java code inside them on a thread that
 * entered the namespace with setns(2). Never configures anything in the root namespace.
 */
package io.conntest.tap.netns;
