/**
 * Jazzer fuzz tests of the stack: every wire parser ({@code EthernetFuzzTest}, {@code ArpFuzzTest},
 * {@code Ipv4FuzzTest}, {@code Icmpv4FuzzTest}, {@code UdpFuzzTest}: parse never throws, accepts exactly what the
 * RFC allows, and accepted input round-trips through emit) and the whole interface fed arbitrary frames
 * ({@code NetworkStackFuzzTest} with {@code StackHarness}: nothing escapes, the bounded structures stay bounded, every
 * frame sent is well formed, and the stack still answers afterwards). Seeds come from real captured frames
 * ({@code SeedCorpus}); the regression corpus lives next to each class in {@code <Class>Inputs/<method>/}.
 *
 * <p>Owns only tests and their inputs; it may not change the stack it tests: bugs it finds are listed in
 * {@code KnownBugs} and reported. See {@code docs/fuzzing.md}.
 */
package io.conntest.stack.fuzz;
