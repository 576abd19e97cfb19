using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Vfio;

/// <summary>
/// The VFIO device cdev as user space drives it (drivers/vfio/device_cdev.c, vfio_main.c): nothing but BIND before bind,
/// BIND's errno, ATTACH twice = replace, DETACH when detached = 0, close = detach + unbind.
/// </summary>
public class VfioCdevTests
{
    private const ulong Page = KapiHost.PageSize;
    private const ulong Iova = 0x4000_0000;

    /// <summary>VFIO_DEVICE_GET_INFO: a real VFIO device ioctl this driver does not implement.</summary>
    private static readonly uint DeviceGetInfo = IoctlEncoding.Io(IoctlTypes.Vfio, IoctlTypes.VfioBase + 7);

    private sealed class Rig
    {
        public Rig(IommuGroup? group = null, KapiHost? host = null)
        {
            Host = host ?? new KapiHost();
            Device = Host.AddBareDevice(group);
            Node = VfioPciDriver.Bind(Device);
            Fd = Host.Process.OpenVfioDevice(Node);
            Scratch = Host.Buffer(Page);
        }

        public KapiHost Host { get; }

        public PciDevice Device { get; }

        public VfioDeviceNode Node { get; }

        public int Fd { get; }

        public IIoctlFile Vfio => Host.Process.File(Fd);

        /// <summary>A zeroed page for raw ioctl arguments.</summary>
        public ulong Scratch { get; }

        public DeviceId Bind(int iommufd = -2)
        {
            Assert.Equal(Errno.None, Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd == -2 ? Host.Fd : iommufd, 0, out var id));
            Assert.True(id.IsValid);
            return id;
        }

        public Errno Attach(PageTableId pt, out HwptId hwpt) => Vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, pt, 0, out hwpt);

        public Errno Detach() => Vfio.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);

        public Errno Raw(uint command) => (Errno)(-Host.Process.Ioctl(Fd, command, Scratch));
    }

    // ---- 2.2.1: nothing but BIND before bind ----

    [Fact]
    public void Every_device_ioctl_but_bind_is_EINVAL_before_bind_also_unknown_ones()
    {
        var rig = new Rig();
        var ioas = rig.Host.AllocIoas();

        Assert.Equal(Errno.EINVAL, rig.Attach(ioas, out var hwpt));
        Assert.Equal(HwptId.None, hwpt);
        Assert.Equal(Errno.EINVAL, rig.Detach());
        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova, rig.Scratch, 4));
        Assert.Equal(Errno.EINVAL, rig.Raw(DeviceGetInfo));
        Assert.Equal(Errno.EINVAL, rig.Raw(0x1234));
        Assert.Equal(Errno.EINVAL, rig.Raw(IoctlEncoding.Io(IoctlTypes.Iommufd, 0x81)));

        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(rig.Host.Ctx, rig.Device.Group));
        Assert.Empty(rig.Host.IoasObject(ioas).Hwpts);

        // After bind the gate opens: a device ioctl the driver does not know is ENOTTY, not EINVAL.
        rig.Bind();
        Assert.Equal(Errno.ENOTTY, rig.Raw(DeviceGetInfo));
        Assert.Equal(Errno.None, rig.Detach());
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    // ---- 2.2.2: BIND ----

    [Fact]
    public void Bind_twice_on_one_fd_is_EINVAL_and_keeps_the_first_binding()
    {
        var rig = new Rig();
        var id = rig.Bind();
        var objects = rig.Host.Context.Objects.Count;

        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, rig.Host.Fd, 0, out var again));

        Assert.Equal(objects, rig.Host.Context.Objects.Count);
        Assert.Single(rig.Host.Context.Objects.Snapshot().OfType<Core.Device>());
        Assert.Equal(id.Value, rig.Host.Context.Objects.Snapshot().OfType<Core.Device>().Single().RawId);
        Assert.NotEqual(id, again);
        Assert.Equal(1, rig.Device.Group.OwnerCount);
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        Assert.False(rig.Device.IsBoundToIommufd);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_through_a_second_fd_of_a_bound_device_is_EINVAL()
    {
        var rig = new Rig();
        rig.Bind();
        var secondFd = rig.Host.Process.OpenVfioDevice(rig.Node);
        var second = rig.Host.Process.File(secondFd);

        Assert.Equal(Errno.EINVAL, second.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, rig.Host.Fd, 0, out _));
        Assert.Equal(Errno.EINVAL, second.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, rig.Host.AllocIoas(), 0, out _));

        Assert.Equal(Errno.None, rig.Host.Process.Close(secondFd));
        Assert.True(rig.Device.IsBoundToIommufd);
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        Assert.False(rig.Device.IsBoundToIommufd);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_errno_negative_fd_EINVAL_bad_fd_EBADF_non_iommufd_fd_EBADFD_unknown_flags_EINVAL()
    {
        var rig = new Rig();
        var otherNode = VfioPciDriver.Bind(rig.Host.AddBareDevice());
        var otherFd = rig.Host.Process.OpenVfioDevice(otherNode);

        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, -1, 0, out _));
        Assert.Equal(Errno.EBADF, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, 777, 0, out _));
        Assert.Equal(Errno.EBADFD, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, otherFd, 0, out _));
        Assert.Equal(Errno.EBADFD, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, rig.Fd, 0, out _));
        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.Token, rig.Host.Fd, rig.Scratch, out _));

        // None of them bound anything; the fd is still usable for a good bind.
        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.Null(rig.Device.Group.DmaOwner);
        Assert.True(rig.Host.Context.Objects.IsEmpty);
        Assert.Equal(Errno.EINVAL, rig.Detach());
        rig.Bind();
        Assert.Equal(Errno.None, rig.Detach());

        Assert.Equal(Errno.None, rig.Host.Process.Close(otherFd));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Host.Fd));
        Iommufd.CtxPut(rig.Host.Ctx);
        Assert.True(rig.Host.ContextReleased);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_of_a_device_whose_group_another_iommufd_owns_is_EPERM()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = new Rig(group, host);
        var second = new Rig(group, host);
        var otherIommufd = host.Process.OpenIommufd();
        first.Bind();

        Assert.Equal(Errno.EPERM, second.Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, otherIommufd, 0, out _));
        Assert.False(second.Device.IsBoundToIommufd);

        // The owning context may take the sibling.
        second.Bind();
        Assert.Equal(Errno.None, host.Process.Close(first.Fd));
        Assert.Equal(Errno.None, host.Process.Close(second.Fd));
        Assert.Null(group.DmaOwner);
        Assert.Equal(Errno.None, host.Process.Close(otherIommufd));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_argsz_below_the_minimum_is_EINVAL_and_a_non_zero_tail_is_E2BIG()
    {
        var rig = new Rig();
        var argument = rig.Host.Buffer(Page);

        // argsz 12 < minsz 16.
        Assert.Equal(Errno.None, rig.Host.Process.Write(argument, BitConverter.GetBytes(12u)));
        Assert.Equal(Errno.None, rig.Host.Process.Write(argument + 8, BitConverter.GetBytes(rig.Host.Fd)));
        Assert.Equal(-(int)Errno.EINVAL, rig.Host.Process.Ioctl(rig.Fd, VfioDeviceBindIommufd.Command, argument));

        // argsz 32 with a non-zero byte after the known 24.
        Assert.Equal(Errno.None, rig.Host.Process.Write(argument, BitConverter.GetBytes(32u)));
        Assert.Equal(Errno.None, rig.Host.Process.Write(argument + 28, new byte[] { 1 }));
        Assert.Equal(-(int)Errno.E2BIG, rig.Host.Process.Ioctl(rig.Fd, VfioDeviceBindIommufd.Command, argument));

        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.True(rig.Host.Context.Objects.IsEmpty);

        // The same 32 bytes with a zero tail bind.
        Assert.Equal(Errno.None, rig.Host.Process.Write(argument + 28, new byte[] { 0 }));
        Assert.Equal(0, rig.Host.Process.Ioctl(rig.Fd, VfioDeviceBindIommufd.Command, argument));
        Assert.True(rig.Device.IsBoundToIommufd);
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Attach_and_detach_with_unknown_flags_are_EINVAL()
    {
        var rig = new Rig();
        rig.Bind();
        var ioas = rig.Host.AllocIoas();

        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceAttachIommufdPt((VfioDeviceAttachFlags)0x80, ioas, 0, out _));
        Assert.Empty(rig.Host.IoasObject(ioas).Hwpts);
        Assert.Equal(Errno.None, rig.Attach(ioas, out var hwpt));
        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceDetachIommufdPt((VfioDeviceDetachFlags)0x80, 0));
        Assert.NotNull(rig.Host.Object(hwpt));
        Assert.Equal(Errno.None, rig.Detach());
        Assert.Null(rig.Host.Object(hwpt));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    // ---- 2.2.3: ATTACH ----

    [Fact]
    public void Attach_to_an_ioas_returns_the_automatic_hwpt_and_bad_pt_ids_are_ENOENT_or_EINVAL()
    {
        var rig = new Rig();
        var devId = rig.Bind();
        var ioas = rig.Host.AllocIoas();

        Assert.Equal(Errno.ENOENT, rig.Attach(new PageTableId(4242), out _));
        // A device ID is the wrong kind on purpose (IOMMU0105 reports this at compile time).
        Assert.Equal(Errno.EINVAL, rig.Attach(PageTableId.FromObjectId(devId), out _));
        Assert.Equal(Errno.EOPNOTSUPP, rig.Vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.Pasid, ioas, 1, out _));
        Assert.Empty(rig.Host.IoasObject(ioas).Hwpts);

        Assert.Equal(Errno.None, rig.Attach(ioas, out var hwpt));
        Assert.NotEqual(ioas.Value, hwpt.Value);
        Assert.True(rig.Host.HwptObject(hwpt).AutoDomain);
        Assert.Equal(Errno.EBUSY, rig.Host.Destroy(hwpt));
        Assert.Equal(Errno.EBUSY, rig.Host.Destroy(ioas));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Attach_again_is_a_replace_the_pt_changes_and_the_old_automatic_hwpt_is_destroyed()
    {
        var rig = new Rig();
        rig.Bind();
        var first = rig.Host.AllocIoas();
        var second = rig.Host.AllocIoas();
        var firstMemory = rig.Host.Buffer(Page, 0x01);
        var secondMemory = rig.Host.Buffer(Page, 0x02);
        Assert.Equal(Errno.None, rig.Host.Map(first, firstMemory, Page, Iova));
        Assert.Equal(Errno.None, rig.Host.Map(second, secondMemory, Page, Iova));
        Assert.Equal(Errno.None, rig.Attach(first, out var oldHwpt));
        Assert.Equal(1, rig.Host.Process.PinCount(firstMemory));

        Assert.Equal(Errno.None, rig.Attach(second, out var newHwpt));

        Assert.NotEqual(oldHwpt, newHwpt);
        Assert.Same(rig.Host.IoasObject(second), rig.Host.HwptObject(newHwpt).Ioas);
        Assert.Null(rig.Host.Object(oldHwpt));
        Assert.Equal(Errno.ENOENT, rig.Host.Destroy(oldHwpt));
        Assert.Empty(rig.Host.IoasObject(first).Hwpts);
        Assert.Equal(0, rig.Host.Process.PinCount(firstMemory));
        Assert.Equal(Errno.None, rig.Host.Destroy(first));

        // DMA now goes to the second IOAS.
        Assert.Null(rig.Device.DmaWrite(Iova, [0xAB]));
        Assert.Equal(new byte[] { 0xAB }, rig.Host.ReadMemory(secondMemory, 1));
        Assert.Equal(new byte[] { 0x01 }, rig.Host.ReadMemory(firstMemory, 1));

        // Attaching again to the HWPT in use is a no-op replace that names it again.
        Assert.Equal(Errno.None, rig.Attach(newHwpt, out var same));
        Assert.Equal(newHwpt, same);
        Assert.Equal(2, rig.Host.HwptObject(newHwpt).Users);

        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        Assert.Equal(Errno.ENOENT, rig.Host.Destroy(newHwpt));
        Assert.Equal(Errno.None, rig.Host.Destroy(second));
        Assert.Equal(0, rig.Host.Process.PinCount(secondMemory));
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Attach_whose_pt_id_cannot_be_copied_back_detaches_again_and_is_EFAULT()
    {
        var rig = new Rig();
        rig.Bind();
        var first = rig.Host.AllocIoas();
        var second = rig.Host.AllocIoas();
        Assert.Equal(Errno.None, rig.Attach(first, out var oldHwpt));

        // struct vfio_device_attach_iommufd_pt in a read-only page: copy-in works, copy-out faults.
        var argument = ReadOnlyStruct(rig.Host, [16, 0, second.Value, 0]);
        Assert.Equal(-(int)Errno.EFAULT, rig.Host.Process.Ioctl(rig.Fd, VfioDeviceAttachIommufdPt.Command, argument));

        // Even as a replace, the kernel's error path detaches the device completely.
        Assert.Null(rig.Host.Object(oldHwpt));
        Assert.Empty(rig.Host.IoasObject(first).Hwpts);
        Assert.Empty(rig.Host.IoasObject(second).Hwpts);
        Assert.Equal(IommuFaultReason.Blocked, rig.Device.DmaRead(Iova, new byte[1])!.Reason);
        Assert.Equal(Errno.None, rig.Detach());
        Assert.Equal(Errno.None, rig.Host.Destroy(first));
        Assert.Equal(Errno.None, rig.Host.Destroy(second));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_whose_devid_cannot_be_copied_back_unbinds_again_and_is_EFAULT()
    {
        var rig = new Rig();

        // struct vfio_device_bind_iommufd in a read-only page.
        var argument = ReadOnlyStruct(rig.Host, [24, 0, (uint)rig.Host.Fd, 0, 0, 0]);
        Assert.Equal(-(int)Errno.EFAULT, rig.Host.Process.Ioctl(rig.Fd, VfioDeviceBindIommufd.Command, argument));

        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.Null(rig.Device.Group.DmaOwner);
        Assert.True(rig.Host.Context.Objects.IsEmpty);
        Assert.Equal(Errno.EINVAL, rig.Detach());

        // No context reference was leaked by the failed bind.
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Host.Fd));
        Iommufd.CtxPut(rig.Host.Ctx);
        Assert.True(rig.Host.ContextReleased);
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    private static ulong ReadOnlyStruct(KapiHost host, uint[] words)
    {
        var va = host.Process.Mmap(Page);
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BitConverter.GetBytes(words[i]).CopyTo(bytes, i * 4);
        }

        Assert.Equal(Errno.None, host.Process.Write(va, bytes));
        Assert.Equal(Errno.None, host.Process.Mprotect(va, Page, Host.MemoryProtection.Read));
        return va;
    }

    // ---- 2.2.4: DETACH ----

    [Fact]
    public void Detach_when_not_attached_returns_0()
    {
        var rig = new Rig();
        rig.Bind();
        var ioas = rig.Host.AllocIoas();

        Assert.Equal(Errno.None, rig.Detach());
        Assert.Equal(Errno.None, rig.Attach(ioas, out var hwpt));
        Assert.Equal(Errno.None, rig.Detach());
        Assert.Equal(Errno.None, rig.Detach());

        Assert.Equal(Errno.ENOENT, rig.Host.Destroy(hwpt));
        Assert.Equal(Errno.None, rig.Host.Destroy(ioas));
        Assert.Equal(IommuFaultReason.Blocked, rig.Device.DmaRead(Iova, new byte[1])!.Reason);
        Assert.Equal(Errno.EOPNOTSUPP, rig.Vfio.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.Pasid, 1));
        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));
        rig.Host.AssertNoWarnings();
    }

    // ---- 2.2.5 / 2.2.6: close = detach + unbind ----

    [Fact]
    public void Close_while_attached_detaches_and_unbinds()
    {
        var rig = new Rig();
        rig.Bind();
        var ioas = rig.Host.AllocIoas();
        var memory = rig.Host.Buffer(2 * Page);
        Assert.Equal(Errno.None, rig.Host.Map(ioas, memory, 2 * Page, Iova));
        Assert.Equal(Errno.None, rig.Attach(ioas, out var hwpt));
        Assert.Equal(1, rig.Host.Process.PinCount(memory));

        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));

        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(rig.Host.Ctx, rig.Device.Group));
        Assert.Null(rig.Device.Group.DmaOwner);
        Assert.Null(rig.Host.Object(hwpt));
        Assert.Empty(rig.Host.Context.Objects.Snapshot().OfType<Core.Device>());
        Assert.Equal(0, rig.Host.Process.PinCount(memory));
        Assert.Equal(Errno.None, rig.Host.Unmap(ioas, Iova, 2 * Page, out _));
        Assert.Equal(Errno.None, rig.Host.Destroy(ioas));
        Assert.True(rig.Host.Context.Objects.IsEmpty);
        Assert.Equal(Errno.EBADF, rig.Vfio.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Closing_dev_iommu_first_keeps_the_context_until_the_device_fd_closes_then_releases_everything()
    {
        var rig = new Rig();
        rig.Host.Process.Capabilities = Host.Capabilities.None;
        rig.Bind();
        var ioas = rig.Host.AllocIoas();
        var memory = rig.Host.Buffer(2 * Page, 0x3C);
        Assert.Equal(Errno.None, rig.Host.Map(ioas, memory, 2 * Page, Iova));
        Assert.Equal(Errno.None, rig.Attach(ioas, out var hwpt));
        Iommufd.CtxPut(rig.Host.Ctx);
        Assert.Equal(2, rig.Host.Process.User.LockedPages);

        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Host.Fd));

        // The bound device holds the context: the mapping still works.
        Assert.False(rig.Host.ContextReleased);
        Assert.NotNull(rig.Host.Object(ioas));
        Assert.Null(rig.Device.DmaWrite(Iova + 8, [7, 7]));
        Assert.Equal(new byte[] { 7, 7 }, rig.Host.ReadMemory(memory + 8, 2));
        Assert.Equal(1, rig.Host.Process.PinCount(memory));

        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));

        Assert.True(rig.Host.ContextReleased);
        Assert.True(rig.Host.Context.Objects.IsEmpty);
        Assert.Equal(0, rig.Host.Context.GroupCount);
        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.Null(rig.Device.Group.DmaOwner);
        Assert.Equal(0, rig.Host.Process.PinCount(memory));
        Assert.Equal(0, rig.Host.Process.PinCount(memory + Page));
        Assert.Equal(0, rig.Host.Process.User.LockedPages);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Close_of_an_unbound_device_fd_changes_nothing()
    {
        var rig = new Rig();

        Assert.Equal(Errno.None, rig.Host.Process.Close(rig.Fd));

        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.True(rig.Host.Context.Objects.IsEmpty);
        var again = rig.Host.Process.OpenVfioDevice(rig.Node);
        Assert.Equal(Errno.None, rig.Host.Process.File(again).VfioDeviceBindIommufd(VfioDeviceBindFlags.None, rig.Host.Fd, 0, out _));
        Assert.Equal(Errno.None, rig.Host.Process.Close(again));
        rig.Host.AssertNoWarnings();
    }
}
