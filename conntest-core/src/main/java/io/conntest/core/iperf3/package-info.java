/**
 * An iperf3 server inside conntest ({@code --listen 'tcp:5201?service=iperf3'}): the control protocol of iperf3
 * 3.x (cookie, signed state bytes, length-prefixed JSON of parameters and results), its TCP data streams, and a
 * bounded JSON codec for the flat objects iperf3 exchanges. It runs on the engine's thread over any
 * {@link io.conntest.core.transport.Transport}, so the same code answers on kernel sockets and on the own stack.
 * See docs/iperf3.md for what is supported and the protocol as implemented.
 */
package io.conntest.core.iperf3;
