package io.conntest.cli.options;

import io.conntest.cli.options.Ipv4Cidr;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.engine.Units;
import io.conntest.stack.wire.MacAddress;
import picocli.CommandLine;

import java.time.Duration;
import java.util.function.Supplier;

/** picocli converters for every option value; a bad value becomes a usage error (exit 2) that names it. */
public final class Converters
{
    private Converters()
    {
    }

    /** {@code --ipv4}. */
    public static final class Ipv4CidrConverter implements CommandLine.ITypeConverter<Ipv4Cidr>
    {
        @Override
        public Ipv4Cidr convert(final String value)
        {
            return wrap(() -> Ipv4Cidr.parse(value));
        }
    }

    /** {@code --ipv4-gateway}. */
    public static final class Ipv4AddressConverter implements CommandLine.ITypeConverter<Integer>
    {
        @Override
        public Integer convert(final String value)
        {
            return wrap(() -> Ipv4Cidr.parseAddress(value));
        }
    }

    /** {@code --ipv6} (repeatable): {@code auto}, {@code off} or {@code ADDR/PREFIX}. */
    public static final class Ipv6ChoiceConverter implements CommandLine.ITypeConverter<Ipv6Choice>
    {
        @Override
        public Ipv6Choice convert(final String value)
        {
            return wrap(() -> Ipv6Choice.parse(value));
        }
    }

    /** {@code --ipv6-gateway}. */
    public static final class Ipv6GatewayConverter implements CommandLine.ITypeConverter<Ipv6Gateway>
    {
        @Override
        public Ipv6Gateway convert(final String value)
        {
            return wrap(() -> Ipv6Gateway.parse(value));
        }
    }

    /** {@code --mac}. */
    public static final class MacConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return wrap(() -> unicastMac(value));
        }
    }

    /** Sizes in bytes: {@code 256kb}, {@code 1mb}, {@code 65536} (core's {@code Units.parseSize}). */
    public static final class SizeConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return wrap(() -> Units.parseSize(value));
        }
    }

    /** {@code --listen}. */
    public static final class ListenConverter implements CommandLine.ITypeConverter<ListenSpec>
    {
        @Override
        public ListenSpec convert(final String value)
        {
            return wrap(() -> ListenSpec.parse(value));
        }
    }

    /** {@code --connect}: the seed's URI form, parsed by the engine's {@link ConnectSpec}. */
    public static final class ConnectConverter implements CommandLine.ITypeConverter<ConnectSpec>
    {
        @Override
        public ConnectSpec convert(final String value)
        {
            return wrap(() ->
            {
                final ConnectSpec spec = ConnectSpec.parse(value);
                if (spec.port() == 0)
                {
                    throw new IllegalArgumentException("bad port 0 in '" + value + "' (expected 1-65535)");
                }
                return spec;
            });
        }
    }

    /** Durations: {@code 10s}, {@code 500ms}, {@code 2m}; a bare number is seconds. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration>
    {
        @Override
        public Duration convert(final String value)
        {
            final Duration d = wrap(() -> Duration.ofNanos(Units.parseDurationNs(value)));
            if (d.isNegative())
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is negative");
            }
            return d;
        }
    }

    /** {@code --metrics}. */
    public static final class MetricsAddressConverter implements CommandLine.ITypeConverter<MetricsAddress>
    {
        @Override
        public MetricsAddress convert(final String value)
        {
            return wrap(() -> MetricsAddress.parse(value));
        }
    }

    /** {@code --ui}. */
    public static final class UiConverter implements CommandLine.ITypeConverter<UiMode>
    {
        @Override
        public UiMode convert(final String value)
        {
            return wrap(() -> UiMode.parse(value));
        }
    }

    /** {@code --ui-emphasis}. */
    public static final class EmphasisConverter implements CommandLine.ITypeConverter<Emphasis>
    {
        @Override
        public Emphasis convert(final String value)
        {
            return wrap(() -> Emphasis.parse(value));
        }
    }

    static <T> T wrap(final Supplier<T> parse)
    {
        try
        {
            return parse.get();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }

    /** A MAC for an interface: parsed by {@link MacAddress#parse}, and unicast (RFC 7042 §2.1: I/G bit clear). */
    static long unicastMac(final String text)
    {
        final long mac;
        try
        {
            mac = MacAddress.parse(text.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (e.g. 02:00:00:00:00:01)");
        }
        if (MacAddress.isGroup(mac))
        {
            throw new IllegalArgumentException("'" + text + "' is a multicast MAC address; an interface needs a "
                + "unicast one (first octet even, e.g. 02:...)");
        }
        return mac;
    }
}
