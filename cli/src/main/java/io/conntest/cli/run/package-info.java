/**
 * Running instances: {@link io.conntest.cli.run.EngineRun} (engines with an output until Ctrl-C, SIGTERM, q or the
 * duration; {@link io.conntest.cli.run.RunControl}), {@link io.conntest.cli.run.TapStack} (the own stack's device
 * chain on a TAP: pcap writer, tracer, interface configuration), and {@link io.conntest.cli.run.StackInstance} (the
 * stack alone with UDP echo/discard services and its poll loop). Knows nothing of the command line's syntax.
 */
package io.conntest.cli.run;
