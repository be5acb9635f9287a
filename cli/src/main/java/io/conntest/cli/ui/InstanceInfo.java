package io.conntest.cli.ui;

import java.util.List;

/**
 * What an output says about an instance before its first snapshot.
 *
 * @param name      the instance's name
 * @param stack     {@code kernel} or {@code tap}
 * @param addresses addresses it has (the stack's CIDR and MAC, or {@code host sockets})
 * @param listens   its listeners as given
 * @param connects  its peers as given (URI form)
 */
public record InstanceInfo(String name, String stack, List<String> addresses, List<String> listens,
    List<String> connects)
{
    public InstanceInfo
    {
        addresses = List.copyOf(addresses);
        listens = List.copyOf(listens);
        connects = List.copyOf(connects);
    }
}
