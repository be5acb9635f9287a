package io.conntest.tap;

import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.Offloads;
import io.conntest.stack.wire.VirtioNetHeader;
import io.conntest.tap.libc.Errno;
import io.conntest.tap.libc.LibC;
import io.conntest.tap.libc.Linux;
import io.conntest.tap.libc.Native;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP device as a {@link FrameDevice}: {@code /dev/net/tun} with {@code TUNSETIFF(IFF_TAP | IFF_NO_PI)},
 * a non-blocking fd, one Ethernet frame per {@code read(2)}/{@code write(2)} through pre-allocated direct
 * buffers whose addresses go to the kernel (no {@code byte[]}, no allocation per frame), and {@code ppoll(2)} to
 * sleep until a frame arrives.
 *
 * <p>The device belongs to the network namespace of the thread that opens it (see
 * {@code io.conntest.tap.netns.NetworkNamespace#call}); afterwards any single thread may use it.
 *
 * <p>Transmit backpressure: {@link #claim(int)} never returns null; when the kernel refuses a frame with EAGAIN
 * or ENOBUFS, {@link #commit(int)} drops it and counts it in {@link #txDropsBackpressure()}, and while the
 * interface is down (EIO) in {@link #txDropsLinkDown()} — as a NIC with a full ring would.
 *
 * <p>Link down is not an error: {@link #isLinkUp()} and {@link #linkWarning()} tell the owner, which logs it
 * and keeps waiting.
 *
 * <p>Offloads ({@link OffloadMode#AUTO}): the device is opened with {@code IFF_VNET_HDR}, the header size set to the
 * 10-byte legacy {@code struct virtio_net_hdr} ({@code TUNSETVNETHDRSZ}) and {@code TUNSETOFFLOAD} negotiated
 * ({@link OffloadNegotiation}); {@link #offloads()} says what the kernel accepted. Every read then starts with the
 * header, parsed into the {@link FrameMetadata} lent with the frame (a header that makes no sense is counted in
 * {@link #rxDropsBadHeader()} and the frame dropped), and every write carries one made from the metadata given to
 * {@link #commit(int, FrameMetadata)}. The legacy size rather than the 12-byte {@code virtio_net_hdr_v1}: its
 * {@code num_buffers} only means something for mergeable receive buffers, which a TAP never uses, and 10 + 14 bytes
 * of headers put the IP header on an 8-byte boundary of the 64-byte aligned buffers, where the checksum reads
 * 8-byte words. With {@link OffloadMode#NONE} there is no header at all (the unikernel position).
 */
public final class TapDevice implements FrameDevice
{
    /** How {@link #open(String, Mode)} treats an existing or missing device. */
    public enum Mode
    {
        /** Attach to the device if it exists, else create a transient one (gone when closed). */
        ATTACH_OR_CREATE,
        /** Attach to an existing device only; ENODEV when there is none. */
        ATTACH,
        /** Create a new transient device only; EBUSY when one of that name exists. */
        CREATE
    }

    /** Room for the largest frame a TAP can carry: 65535-byte MTU + Ethernet header + VLAN tag, rounded up. */
    public static final int MAX_FRAME = 65536 + 64;
    private static final String TUN_PATH = "/dev/net/tun";

    private final LibC libc;
    private final String name;
    private final byte[] nameBytes;
    private final boolean created;
    private final int fd;
    private final int controlFd;
    /** Written by {@link #wakeup()} (any thread), polled beside {@link #fd} in {@link #awaitReceive(long)}. */
    private final int wakeFd;
    /** Holds the 8-byte value 1 that {@link #wakeup()} writes; never changed, so any thread may use it. */
    private final UnsafeBuffer wakeValue;
    private final UnsafeBuffer rxBuffer;
    private final long rxAddress;
    private final UnsafeBuffer txBuffer;
    private final long txAddress;
    /** ifreq (40 bytes) at 0, pollfd (8 bytes) at 48, timespec (16 bytes) at 64. */
    private final UnsafeBuffer scratch;
    private final long scratchAddress;
    private boolean claimOpen;
    private volatile boolean closed;
    private long rxFrames;
    private long rxBytes;
    private long txFrames;
    private long txBytes;
    private long txDropsBackpressure;
    private long txDropsLinkDown;
    private long txDropsInvalid;
    private long rxDropsBadHeader;
    /** 0 without {@code IFF_VNET_HDR}, else {@link VirtioNetHeader#LEGACY_LENGTH}. */
    private final int vnetHeaderLength;
    private final int offloads;
    /** The frame part of {@link #txBuffer} (after the virtio-net header, if any): what {@link #claim} returns. */
    private final UnsafeBuffer txFrame;
    /** Three {@code struct iovec} for {@link #commitGather}: head, tail run 1, tail run 2. */
    private final UnsafeBuffer iov;
    private final long iovAddress;
    private long txGathered;
    private final FrameMetadata rxMetadata = new FrameMetadata();
    private final VirtioNetHeader rxHeader = new VirtioNetHeader();

    private static final int IFREQ_OFFSET = 0;
    private static final int POLLFD_OFFSET = 48;
    /** Two pollfds: the TAP at POLLFD_OFFSET, the eventfd 8 bytes after it. */
    private static final int TIMESPEC_OFFSET = 64;
    /** Where {@link #awaitReceive(long)} drains the eventfd's counter. */
    private static final int WAKE_DRAIN_OFFSET = 80;

    private TapDevice(final LibC libc, final String name, final boolean created, final int fd, final int controlFd,
        final int wakeFd, final int vnetHeaderLength, final int offloads)
    {
        this.vnetHeaderLength = vnetHeaderLength;
        this.offloads = offloads;
        this.wakeFd = wakeFd;
        this.wakeValue = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
        wakeValue.putLong(0, 1L, ByteOrder.nativeOrder());
        this.libc = libc;
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.created = created;
        this.fd = fd;
        this.controlFd = controlFd;
        // Room for the virtio-net header in front of the largest frame.
        this.rxBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAME + 64, 64));
        this.rxAddress = rxBuffer.addressOffset();
        this.txBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAME + 64, 64));
        this.txAddress = txBuffer.addressOffset();
        this.txFrame = new UnsafeBuffer(txAddress + vnetHeaderLength, MAX_FRAME);
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
        this.iov = new UnsafeBuffer(ByteBuffer.allocateDirect(48));
        this.iovAddress = iov.addressOffset();
        this.scratchAddress = scratch.addressOffset();
    }

    /** Attaches to the TAP {@code ifname} or creates a transient one ({@link Mode#ATTACH_OR_CREATE}). */
    public static TapDevice open(final String ifname)
    {
        return open(ifname, Mode.ATTACH_OR_CREATE);
    }

    /**
     * Opens the TAP {@code ifname} in the calling thread's network namespace.
     *
     * @throws TapException when a system call fails, with errno and a hint.
     * @throws IllegalArgumentException when {@code ifname} is not a valid interface name.
     */
    public static TapDevice open(final String ifname, final Mode mode)
    {
        return open(ifname, mode, OffloadMode.NONE);
    }

    /**
     * Opens the TAP {@code ifname} in the calling thread's network namespace, negotiating offloads when
     * {@code offload} is {@link OffloadMode#AUTO} (see the class comment).
     *
     * @throws TapException when a system call fails, with errno and a hint.
     * @throws IllegalArgumentException when {@code ifname} is not a valid interface name.
     */
    public static TapDevice open(final String ifname, final Mode mode, final OffloadMode offload)
    {
        checkName(ifname);
        final LibC libc = Native.libc();
        final boolean exists = libc.if_nametoindex(ifname) != 0;
        if (mode == Mode.ATTACH && !exists)
        {
            throw new TapException("if_nametoindex", Errno.ENODEV, "cannot attach to TAP " + ifname,
                TapException.hintFor(Errno.ENODEV, ifname));
        }
        final int fd = libc.open(TUN_PATH, Linux.O_RDWR | Linux.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = Native.errno();
            throw TapException.of("open(" + TUN_PATH + ")", errno, "cannot open TAP " + ifname, ifname);
        }
        int controlFd = -1;
        int wakeFd = -1;
        try
        {
            final UnsafeBuffer ifreq = new UnsafeBuffer(ByteBuffer.allocateDirect(Linux.IFREQ_SIZE));
            putName(ifreq, ifname);
            short flags = (short)(Linux.IFF_TAP | Linux.IFF_NO_PI);
            if (mode == Mode.CREATE)
            {
                flags |= Linux.IFF_TUN_EXCL;
            }
            final boolean vnet = offload == OffloadMode.AUTO;
            if (vnet)
            {
                flags |= Linux.IFF_VNET_HDR;
            }
            ifreq.putShort(Linux.IFNAMSIZ, flags, ByteOrder.nativeOrder());
            if (libc.ioctl(fd, Linux.TUNSETIFF, ifreq.addressOffset()) < 0)
            {
                final int errno = Native.errno();
                final String hint = errno == Errno.EBUSY && mode == Mode.CREATE
                    ? "a device named " + ifname + " exists already (or is held by another process)"
                    : TapException.hintFor(errno, ifname);
                throw new TapException("ioctl(TUNSETIFF)", errno, "cannot open TAP " + ifname, hint);
            }
            if (libc.fcntl(fd, Linux.F_SETFL, Linux.O_RDWR | Linux.O_NONBLOCK) < 0)
            {
                throw TapException.of("fcntl(F_SETFL, O_NONBLOCK)", Native.errno(), "cannot open TAP " + ifname,
                    ifname);
            }
            controlFd = libc.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0);
            if (controlFd < 0)
            {
                throw TapException.of("socket(AF_INET, SOCK_DGRAM)", Native.errno(),
                    "cannot open a control socket for TAP " + ifname, ifname);
            }
            wakeFd = libc.eventfd(0, Linux.EFD_NONBLOCK | Linux.EFD_CLOEXEC);
            if (wakeFd < 0)
            {
                throw TapException.of("eventfd", Native.errno(), "cannot make the wake-up eventfd for TAP " + ifname,
                    ifname);
            }
            int negotiated = Offloads.NONE;
            if (vnet)
            {
                ifreq.putInt(0, VirtioNetHeader.LEGACY_LENGTH, ByteOrder.nativeOrder());
                if (libc.ioctl(fd, Linux.TUNSETVNETHDRSZ, ifreq.addressOffset()) < 0)
                {
                    throw TapException.of("ioctl(TUNSETVNETHDRSZ)", Native.errno(), "cannot open TAP " + ifname,
                        ifname);
                }
                negotiated = OffloadNegotiation.negotiate(OffloadNegotiation.WANTED,
                    flagsToSet -> libc.ioctl(fd, Linux.TUNSETOFFLOAD, flagsToSet) < 0 ? Native.errno() : 0);
            }
            else
            {
                // The offloads are the device's, not the file's: a persistent TAP opened with offloads before keeps
                // them after that file is closed, and the kernel would then hand this plain reader 64 KB frames and
                // partial checksums it cannot tell apart. Plain means none: clear them (never refused by Linux).
                libc.ioctl(fd, Linux.TUNSETOFFLOAD, Offloads.NONE);
            }
            return new TapDevice(libc, ifname, !exists, fd, controlFd, wakeFd,
                vnet ? VirtioNetHeader.LEGACY_LENGTH : 0, negotiated);
        }
        catch (final RuntimeException ex)
        {
            libc.close(fd);
            if (controlFd >= 0)
            {
                libc.close(controlFd);
            }
            if (wakeFd >= 0)
            {
                libc.close(wakeFd);
            }
            throw ex;
        }
    }

    /** The interface name. */
    public String name()
    {
        return name;
    }

    /** Whether opening created the device (a transient one that disappears when closed). */
    public boolean created()
    {
        return created;
    }

    /** What the kernel accepted of the offloads asked ({@link Offloads} bits); {@link Offloads#NONE} when plain. */
    @Override
    public int offloads()
    {
        return offloads;
    }

    /** Bytes of virtio-net header before every frame: 0 without {@code IFF_VNET_HDR}, else 10. */
    public int vnetHeaderLength()
    {
        return vnetHeaderLength;
    }

    /** The file descriptor, for an owner that polls several devices together. */
    public int fd()
    {
        return fd;
    }

    /** The interface's MTU now (SIOCGIFMTU). */
    @Override
    public int mtu()
    {
        ifreqIoctl(Linux.SIOCGIFMTU, "ioctl(SIOCGIFMTU)");
        return scratch.getInt(IFREQ_OFFSET + Linux.IFNAMSIZ, ByteOrder.nativeOrder());
    }

    /** Sets the interface's MTU (SIOCSIFMTU, needs CAP_NET_ADMIN). */
    public void setMtu(final int mtu)
    {
        clearIfreq();
        scratch.putInt(IFREQ_OFFSET + Linux.IFNAMSIZ, mtu, ByteOrder.nativeOrder());
        ioctlPrepared(Linux.SIOCSIFMTU, "ioctl(SIOCSIFMTU " + mtu + ")");
    }

    /** The interface flags (SIOCGIFFLAGS), e.g. {@link Linux#IFF_UP}. */
    public int interfaceFlags()
    {
        ifreqIoctl(Linux.SIOCGIFFLAGS, "ioctl(SIOCGIFFLAGS)");
        return scratch.getShort(IFREQ_OFFSET + Linux.IFNAMSIZ, ByteOrder.nativeOrder()) & 0xFFFF;
    }

    /** Whether the interface is up and running (IFF_UP and IFF_RUNNING), i.e. frames can flow. */
    public boolean isLinkUp()
    {
        final int flags = interfaceFlags();
        return (flags & Linux.IFF_UP) != 0 && (flags & Linux.IFF_RUNNING) != 0;
    }

    /** A line to log while the link is down, or null when it is up. */
    @Override
    public String linkWarning()
    {
        if (isLinkUp())
        {
            return null;
        }
        return "link of " + name + " is down, waiting (bring it up: ip link set " + name + " up)";
    }

    /** Sets IFF_UP on the interface (SIOCSIFFLAGS, needs CAP_NET_ADMIN), like {@code ip link set NAME up}. */
    public void bringUp()
    {
        final int flags = interfaceFlags();
        clearIfreq();
        scratch.putShort(IFREQ_OFFSET + Linux.IFNAMSIZ, (short)(flags | Linux.IFF_UP), ByteOrder.nativeOrder());
        ioctlPrepared(Linux.SIOCSIFFLAGS, "ioctl(SIOCSIFFLAGS)");
    }

    @Override
    public int receive(final FrameHandler handler, final int maxFrames)
    {
        checkOpen();
        int count = 0;
        while (count < maxFrames)
        {
            final long n = libc.read(fd, rxAddress, vnetHeaderLength + MAX_FRAME);
            if (n < 0)
            {
                final int errno = Native.errno();
                if (errno == Errno.EAGAIN)
                {
                    break;
                }
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                throw TapException.of("read", errno, "cannot read from TAP " + name, name);
            }
            if (n == 0)
            {
                break;
            }
            count++;
            if (vnetHeaderLength == 0)
            {
                rxFrames++;
                rxBytes += n;
                handler.onFrame(rxBuffer, 0, (int)n, rxMetadata);
                continue;
            }
            final int frameLength = (int)n - vnetHeaderLength;
            if (!readHeader(rxHeader, rxBuffer, (int)n, vnetHeaderLength, rxMetadata))
            {
                rxDropsBadHeader++;
                continue;
            }
            rxFrames++;
            rxBytes += frameLength;
            handler.onFrame(rxBuffer, vnetHeaderLength, frameLength, rxMetadata);
        }
        return count;
    }

    /** Never returns null: see the class comment for how backpressure shows. */
    @Override
    public MutableDirectBuffer claim(final int maxLength)
    {
        checkOpen();
        if (claimOpen)
        {
            throw new IllegalStateException("a claim is already open");
        }
        if (maxLength > MAX_FRAME)
        {
            throw new IllegalArgumentException("frame of " + maxLength + " bytes exceeds " + MAX_FRAME);
        }
        claimOpen = true;
        return txFrame;
    }

    /**
     * Parses the virtio-net header at the start of {@code buffer} (a read of {@code readLength} bytes) into
     * {@code metadata}; false when the read is too short or the header makes no sense for the frame behind it
     * (unknown GSO type or flags, gso_size 0, checksum offsets past the frame): the frame is then dropped.
     */
    static boolean readHeader(final VirtioNetHeader header, final DirectBuffer buffer, final int readLength,
        final int headerLength, final FrameMetadata metadata)
    {
        if (readLength < headerLength || !header.wrap(buffer, 0, readLength))
        {
            metadata.clear();
            return false;
        }
        metadata.set(header.flags(), header.gsoType(), header.headerLength(), header.gsoSize(), header.csumStart(),
            header.csumOffset());
        return metadata.isConsistent(readLength - headerLength);
    }

    @Override
    public void commit(final int length)
    {
        if (vnetHeaderLength != 0)
        {
            txBuffer.setMemory(0, vnetHeaderLength, (byte)0);
        }
        write(length);
    }

    /**
     * Sends the claimed frame with {@code metadata} in its virtio-net header.
     *
     * @throws IllegalStateException when the metadata asks for an offload that was not negotiated.
     */
    @Override
    public void commit(final int length, final FrameMetadata metadata)
    {
        if (metadata.isPlain())
        {
            commit(length);
            return;
        }
        writeVnetHeader(metadata);
        write(length);
    }

    /** The virtio-net header of {@code metadata} in front of the claimed frame, after checking it was negotiated. */
    private void writeVnetHeader(final FrameMetadata metadata)
    {
        final boolean csumMissing = metadata.needsChecksum() && !Offloads.checksum(offloads);
        final boolean gsoMissing = metadata.isSuperFrame() &&
            (metadata.gsoType() == FrameMetadata.GSO_TCPV4 ? !Offloads.tcpSegmentation(offloads)
                : metadata.gsoType() != FrameMetadata.GSO_UDP_L4 || !Offloads.udpSegmentation(offloads));
        if (vnetHeaderLength == 0 || csumMissing || gsoMissing)
        {
            abort();
            throw new IllegalStateException("TAP " + name + " with offloads " + Offloads.describe(offloads) +
                " given " + metadata);
        }
        VirtioNetHeader.write(txBuffer, 0, metadata.flags(), metadata.gsoType(), metadata.headerLength(),
            metadata.gsoSize(), metadata.csumStart(), metadata.csumOffset());
    }

    /** With a virtio-net header: the payload can stay in the sender's native memory ({@link #commitGather}). */
    @Override
    public boolean gathers()
    {
        return vnetHeaderLength != 0 && Offloads.checksum(offloads);
    }

    /**
     * One {@code writev(2)} of the virtio-net header and the claimed head, then the tail's one or two runs straight
     * from the sender's memory: no copy of the payload in Java. {@code tail} must be native memory (a direct
     * buffer); a tun write takes the whole frame or nothing, so there is no partial write to finish.
     */
    @Override
    public void commitGather(final int headLength, final FrameMetadata metadata, final DirectBuffer tail,
        final int offset1, final int length1, final int offset2, final int length2)
    {
        if (!gathers() || tail.byteArray() != null)
        {
            abort();
            throw new IllegalStateException("TAP " + name + " cannot gather from " +
                (tail.byteArray() != null ? "a heap buffer" : "without checksum offload"));
        }
        final int length = headLength + length1 + length2;
        if (headLength < 0 || length1 < 0 || length2 < 0 || length > MAX_FRAME)
        {
            abort();
            throw new IllegalArgumentException("bad gathered frame " + headLength + "+" + length1 + "+" + length2);
        }
        try
        {
            tail.boundsCheck(offset1, length1);
            tail.boundsCheck(offset2, length2);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            abort(); // the claim ends with the refused frame, as for every other bad argument
            throw ex;
        }
        if (metadata.isPlain())
        {
            txBuffer.setMemory(0, vnetHeaderLength, (byte)0);
        }
        else
        {
            writeVnetHeader(metadata);
        }
        iov.putLong(0, txAddress, ByteOrder.nativeOrder());
        iov.putLong(8, vnetHeaderLength + headLength, ByteOrder.nativeOrder());
        iov.putLong(16, tail.addressOffset() + offset1, ByteOrder.nativeOrder());
        iov.putLong(24, length1, ByteOrder.nativeOrder());
        iov.putLong(32, tail.addressOffset() + offset2, ByteOrder.nativeOrder());
        iov.putLong(40, length2, ByteOrder.nativeOrder());
        openClaimFor(length);
        while (true)
        {
            final long n = libc.writev(fd, iovAddress, length2 > 0 ? 3 : 2);
            if (n >= 0 || !retryAfterWriteError(Native.errno()))
            {
                if (n >= 0)
                {
                    txFrames++;
                    txBytes += length;
                    txGathered++;
                }
                return;
            }
        }
    }

    private void write(final int length)
    {
        openClaimFor(length);
        while (true)
        {
            final long n = libc.write(fd, txAddress, vnetHeaderLength + length);
            if (n >= 0)
            {
                txFrames++;
                txBytes += length;
                return;
            }
            if (!retryAfterWriteError(Native.errno()))
            {
                return;
            }
        }
    }

    /** Ends the open claim for a frame of {@code length} bytes (the write follows). */
    private void openClaimFor(final int length)
    {
        if (!claimOpen)
        {
            throw new IllegalStateException("no open claim");
        }
        claimOpen = false;
        if (length < 0 || length > MAX_FRAME)
        {
            throw new IllegalArgumentException("bad frame length " + length);
        }
    }

    /** A failed write: true to try again (EINTR); false when the frame is dropped and counted; throws otherwise. */
    private boolean retryAfterWriteError(final int errno)
    {
        switch (errno)
        {
            case Errno.EINTR:
                return true;
            case Errno.EAGAIN:
            case Errno.ENOBUFS:
                txDropsBackpressure++;
                return false;
            case Errno.EIO:
                txDropsLinkDown++;
                return false;
            case Errno.EINVAL:
                if (vnetHeaderLength != 0)
                {
                    // The kernel refused the virtio-net header (tun_get_user): drop the frame, keep the link.
                    txDropsInvalid++;
                    return false;
                }
                throw TapException.of("write", errno, "cannot write to TAP " + name, name);
            default:
                throw TapException.of("write", errno, "cannot write to TAP " + name, name);
        }
    }

    @Override
    public void abort()
    {
        claimOpen = false;
    }

    /** Sleeps in {@code ppoll(2)} until a frame is readable or {@code timeoutNs} passed. */
    @Override
    public void awaitReceive(final long timeoutNs)
    {
        checkOpen();
        if (timeoutNs <= 0)
        {
            return;
        }
        scratch.putInt(POLLFD_OFFSET, fd, ByteOrder.nativeOrder());
        scratch.putShort(POLLFD_OFFSET + 4, Linux.POLLIN, ByteOrder.nativeOrder());
        scratch.putShort(POLLFD_OFFSET + 6, (short)0, ByteOrder.nativeOrder());
        scratch.putInt(POLLFD_OFFSET + 8, wakeFd, ByteOrder.nativeOrder());
        scratch.putShort(POLLFD_OFFSET + 12, Linux.POLLIN, ByteOrder.nativeOrder());
        scratch.putShort(POLLFD_OFFSET + 14, (short)0, ByteOrder.nativeOrder());
        scratch.putLong(TIMESPEC_OFFSET, timeoutNs / 1_000_000_000L, ByteOrder.nativeOrder());
        scratch.putLong(TIMESPEC_OFFSET + 8, timeoutNs % 1_000_000_000L, ByteOrder.nativeOrder());
        final int n = libc.ppoll(scratchAddress + POLLFD_OFFSET, 2, scratchAddress + TIMESPEC_OFFSET, 0);
        if (n < 0)
        {
            final int errno = Native.errno();
            if (errno != Errno.EINTR)
            {
                throw TapException.of("ppoll", errno, "cannot wait on TAP " + name, name);
            }
        }
        else if (n > 0 && (scratch.getShort(POLLFD_OFFSET + 14, ByteOrder.nativeOrder()) & Linux.POLLIN) != 0)
        {
            // Reset the counter (a non-blocking read returns it and zeroes it), so the next wait sleeps again.
            libc.read(wakeFd, scratchAddress + WAKE_DRAIN_OFFSET, 8);
        }
    }

    /** An eventfd polled beside the TAP: {@link #wakeup()} ends a wait at once, from any thread. */
    @Override
    public boolean canWakeUp()
    {
        return true;
    }

    /**
     * Ends the current {@link #awaitReceive(long)}, or makes the next one return at once (the eventfd stays readable
     * until that wait drains it). Safe from any thread: it writes a constant from memory no one changes.
     */
    @Override
    public void wakeup()
    {
        if (!closed)
        {
            libc.write(wakeFd, wakeValue.addressOffset(), 8);
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        libc.close(fd);
        libc.close(controlFd);
        libc.close(wakeFd);
    }

    public long rxFrames()
    {
        return rxFrames;
    }

    public long rxBytes()
    {
        return rxBytes;
    }

    public long txFrames()
    {
        return txFrames;
    }

    public long txBytes()
    {
        return txBytes;
    }

    /** Frames dropped because the kernel answered EAGAIN/ENOBUFS to write(2). */
    public long txDropsBackpressure()
    {
        return txDropsBackpressure;
    }

    /** Frames the kernel refused with EINVAL (a virtio-net header it did not accept). */
    public long txDropsInvalid()
    {
        return txDropsInvalid;
    }

    /** Frames sent by {@link #commitGather} (one {@code writev(2)}, the payload from the sender's memory). */
    public long txGathered()
    {
        return txGathered;
    }

    /** Frames read with a virtio-net header that made no sense (see {@link #readHeader}): dropped. */
    public long rxDropsBadHeader()
    {
        return rxDropsBadHeader;
    }

    /** Frames dropped because the interface was down (EIO from write(2)). */
    public long txDropsLinkDown()
    {
        return txDropsLinkDown;
    }

    @Override
    public String toString()
    {
        return "TapDevice{" + name + (closed ? ", closed" : ", fd " + fd) + ", offloads " +
            Offloads.describe(offloads) + "}";
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("TAP " + name + " is closed");
        }
    }

    private void clearIfreq()
    {
        checkOpen();
        scratch.setMemory(IFREQ_OFFSET, Linux.IFREQ_SIZE, (byte)0);
        scratch.putBytes(IFREQ_OFFSET, nameBytes);
    }

    private void ifreqIoctl(final long request, final String call)
    {
        clearIfreq();
        ioctlPrepared(request, call);
    }

    private void ioctlPrepared(final long request, final String call)
    {
        if (libc.ioctl(controlFd, request, scratchAddress + IFREQ_OFFSET) < 0)
        {
            final int errno = Native.errno();
            throw TapException.of(call, errno, "TAP " + name, name);
        }
    }

    private static void putName(final MutableDirectBuffer ifreq, final String ifname)
    {
        final byte[] bytes = ifname.getBytes(StandardCharsets.US_ASCII);
        ifreq.putBytes(0, bytes);
        ifreq.putByte(bytes.length, (byte)0);
    }

    private static void checkName(final String ifname)
    {
        if (ifname == null || ifname.isEmpty() || ifname.length() >= Linux.IFNAMSIZ)
        {
            throw new IllegalArgumentException("interface name must have 1 to 15 characters: '" + ifname + "'");
        }
        for (int i = 0; i < ifname.length(); i++)
        {
            final char c = ifname.charAt(i);
            if (c <= ' ' || c >= 127 || c == '/' || c == ':')
            {
                throw new IllegalArgumentException("invalid character in interface name '" + ifname + "'");
            }
        }
    }
}
