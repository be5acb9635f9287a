/**
 * Time on the stack's nanosecond clock: {@link io.conntest.stack.time.Deadline}, the one "no deadline" value
 * ({@code NEVER}) and the wrap-safe comparisons every timer uses (due, earliest).
 *
 * <p>Owns: the rules for comparing times passed in by callers. May not touch: the clock itself (the stack never
 * reads one; times are arguments) or anything else of the stack; it depends on nothing, every package may use it.
 */
package io.conntest.stack.time;
