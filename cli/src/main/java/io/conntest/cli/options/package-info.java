/**
 * The command line's option groups ({@code InstanceOptions}, {@code NetworkOptions}, {@code OutputOptions}) and
 * their picocli converters, which delegate to the value types of the lower modules ({@code stack.wire} addresses,
 * {@code core.engine} listen/connect specs and durations) and only add messages for people. Imports no other cli
 * package.
 */
package io.conntest.cli.options;
