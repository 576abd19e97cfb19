using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Isolation;

/// <summary>
/// What a device can reach with DMA: exactly what its attached domain maps, with the mapped permissions.
/// Every refused DMA records an IOMMU fault and changes no byte of memory.
/// </summary>
public class DmaIsolationTests
{
    private const ulong Page = KapiHost.PageSize;
    private const ulong Iova = 0x4000_0000;
    private const ulong MsiWindow = 0x0800_0000;

    private static readonly byte[] Payload = [0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04];

    private sealed class Rig
    {
        public Rig(params ReservedRegion[] reserved)
        {
            Host = new KapiHost();
            Device = Host.AddDevice(reserved: reserved);
            Idev = Host.Bind(Device);
            Ioas = Host.AllocIoas();
            Memory = Host.Buffer(4 * Page, 0xA5);
            Assert.Equal(Errno.None, Host.Map(Ioas, Memory, 2 * Page, Iova));
        }

        public KapiHost Host { get; }

        public PciDevice Device { get; }

        public IommufdDevice Idev { get; }

        public IoasId Ioas { get; }

        /// <summary>4 pages of 0xA5; the first two are mapped at <see cref="Iova"/>.</summary>
        public ulong Memory { get; }

        public byte[] Snapshot() => Host.ReadMemory(Memory, (int)(4 * Page));

        public HwptId Attach() => Host.Attach(Idev, Ioas);
    }

    private static void AssertFault(IommuFault? fault, PciDevice device, ulong iova, bool write, IommuFaultReason reason)
    {
        Assert.NotNull(fault);
        Assert.Equal(device.Address, fault.Device);
        Assert.Equal(iova, fault.Iova);
        Assert.Equal(write, fault.Write);
        Assert.Equal(reason, fault.Reason);
        Assert.Contains(fault, device.Faults);
    }

    [Fact]
    public void Mapped_iova_dma_reaches_the_process_memory_both_ways()
    {
        var rig = new Rig();
        rig.Attach();

        // Across the boundary of the two mapped pages.
        Assert.Null(rig.Device.DmaWrite(Iova + Page - 4, Payload));
        Assert.Equal(Payload, rig.Host.ReadMemory(rig.Memory + Page - 4, Payload.Length));

        Assert.Equal(Errno.None, rig.Host.Process.Write(rig.Memory + 100, "from the cpu"u8));
        var read = new byte[12];
        Assert.Null(rig.Device.DmaRead(Iova + 100, read));
        Assert.Equal("from the cpu"u8.ToArray(), read);
        Assert.Empty(rig.Device.Faults);
    }

    [Fact]
    public void Unmapped_iova_faults_and_changes_nothing()
    {
        var rig = new Rig();
        rig.Attach();
        var before = rig.Snapshot();

        AssertFault(rig.Device.DmaWrite(Iova + (2 * Page), Payload), rig.Device, Iova + (2 * Page), true, IommuFaultReason.NotMapped);
        AssertFault(rig.Device.DmaWrite(0x1000, Payload), rig.Device, 0x1000, true, IommuFaultReason.NotMapped);
        var read = new byte[4];
        AssertFault(rig.Device.DmaRead(Iova - Page, read), rig.Device, Iova - Page, false, IommuFaultReason.NotMapped);

        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(new byte[4], read);
        Assert.Equal(3, rig.Device.Faults.Count);
    }

    [Fact]
    public void A_dma_running_off_the_end_of_a_mapping_changes_no_byte_at_all()
    {
        var rig = new Rig();
        rig.Attach();
        var before = rig.Snapshot();

        var fault = rig.Device.DmaWrite((Iova + (2 * Page)) - 4, Payload);

        AssertFault(fault, rig.Device, Iova + (2 * Page), true, IommuFaultReason.NotMapped);
        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void A_device_cannot_reach_memory_of_another_ioas()
    {
        var rig = new Rig();
        rig.Attach();
        var otherIoas = rig.Host.AllocIoas();
        var otherDevice = rig.Host.AddDevice();
        var otherIdev = rig.Host.Bind(otherDevice);
        var otherMemory = rig.Host.Buffer(Page, 0x77);
        const ulong OtherIova = 0x9000_0000;
        Assert.Equal(Errno.None, rig.Host.Map(otherIoas, otherMemory, Page, OtherIova));

        // The same IOVA in both IOASes, too: each device lands in its own IOAS's memory.
        var shared = rig.Host.Buffer(Page, 0x66);
        Assert.Equal(Errno.None, rig.Host.Map(otherIoas, shared, Page, Iova));
        rig.Host.Attach(otherIdev, otherIoas);
        var before = rig.Host.ReadMemory(otherMemory, (int)Page);
        var sharedBefore = rig.Host.ReadMemory(shared, (int)Page);

        AssertFault(rig.Device.DmaWrite(OtherIova, Payload), rig.Device, OtherIova, true, IommuFaultReason.NotMapped);
        var read = new byte[8];
        AssertFault(rig.Device.DmaRead(OtherIova, read), rig.Device, OtherIova, false, IommuFaultReason.NotMapped);
        Assert.Equal(new byte[8], read);
        Assert.Null(rig.Device.DmaWrite(Iova, Payload));

        Assert.Equal(before, rig.Host.ReadMemory(otherMemory, (int)Page));
        Assert.Equal(sharedBefore, rig.Host.ReadMemory(shared, (int)Page));
        Assert.Equal(Payload, rig.Host.ReadMemory(rig.Memory, Payload.Length));

        Assert.Null(otherDevice.DmaWrite(Iova, [1, 1, 1]));
        Assert.Equal(new byte[] { 1, 1, 1 }, rig.Host.ReadMemory(shared, 3));
        Assert.Equal(Payload, rig.Host.ReadMemory(rig.Memory, Payload.Length));
        Assert.Empty(otherDevice.Faults);
    }

    [Fact]
    public void A_device_of_another_context_cannot_reach_this_context_memory()
    {
        var rig = new Rig();
        rig.Attach();
        var other = new KapiHost();
        var stranger = other.AddDevice();
        var strangerIdev = other.Bind(stranger);
        var strangerIoas = other.AllocIoas();
        other.Attach(strangerIdev, strangerIoas);
        var before = rig.Snapshot();

        AssertFault(stranger.DmaWrite(Iova, Payload), stranger, Iova, true, IommuFaultReason.NotMapped);

        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void Writing_a_read_only_mapping_faults_and_changes_nothing_reading_works()
    {
        var rig = new Rig();
        const ulong RomIova = 0x5000_0000;
        Assert.Equal(Errno.None, rig.Host.Map(rig.Ioas, rig.Memory + (3 * Page), Page, RomIova, readable: true, writeable: false));
        rig.Attach();
        var before = rig.Snapshot();

        AssertFault(rig.Device.DmaWrite(RomIova + 8, Payload), rig.Device, RomIova + 8, true, IommuFaultReason.PermissionDenied);
        Assert.Equal(before, rig.Snapshot());

        var read = new byte[4];
        Assert.Null(rig.Device.DmaRead(RomIova, read));
        Assert.Equal(new byte[] { 0xA5, 0xA5, 0xA5, 0xA5 }, read);
        Assert.Single(rig.Device.Faults);
    }

    [Fact]
    public void A_write_only_mapping_refuses_device_reads()
    {
        var rig = new Rig();
        const ulong SinkIova = 0x6000_0000;
        Assert.Equal(Errno.None, rig.Host.Map(rig.Ioas, rig.Memory + (3 * Page), Page, SinkIova, readable: false, writeable: true));
        rig.Attach();

        var read = new byte[4];
        AssertFault(rig.Device.DmaRead(SinkIova, read), rig.Device, SinkIova, false, IommuFaultReason.PermissionDenied);
        Assert.Equal(new byte[4], read);
        Assert.Null(rig.Device.DmaWrite(SinkIova, Payload));
        Assert.Equal(Payload, rig.Host.ReadMemory(rig.Memory + (3 * Page), Payload.Length));
    }

    [Fact]
    public void Before_attach_dma_is_blocked_and_changes_nothing()
    {
        var rig = new Rig();
        var before = rig.Snapshot();

        AssertFault(rig.Device.DmaWrite(Iova, Payload), rig.Device, Iova, true, IommuFaultReason.Blocked);
        var read = new byte[4];
        AssertFault(rig.Device.DmaRead(Iova, read), rig.Device, Iova, false, IommuFaultReason.Blocked);

        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(new byte[4], read);
    }

    [Fact]
    public void After_detach_dma_is_blocked_and_changes_nothing()
    {
        var rig = new Rig();
        rig.Attach();
        Assert.Null(rig.Device.DmaWrite(Iova, Payload));
        Iommufd.DeviceDetach(rig.Idev);
        var before = rig.Snapshot();

        AssertFault(rig.Device.DmaWrite(Iova, [9, 9, 9, 9]), rig.Device, Iova, true, IommuFaultReason.Blocked);

        Assert.Equal(before, rig.Snapshot());
        Assert.Equal(Payload, rig.Host.ReadMemory(rig.Memory, Payload.Length));
    }

    [Fact]
    public void After_unmap_dma_faults_and_the_unpinned_memory_is_untouched()
    {
        var rig = new Rig();
        rig.Attach();
        Assert.Equal(1, rig.Host.Process.PinCount(rig.Memory));
        Assert.Equal(Errno.None, rig.Host.Unmap(rig.Ioas, Iova, 2 * Page, out _));
        Assert.Equal(0, rig.Host.Process.PinCount(rig.Memory));
        var before = rig.Snapshot();

        AssertFault(rig.Device.DmaWrite(Iova, Payload), rig.Device, Iova, true, IommuFaultReason.NotMapped);

        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void After_replace_dma_reaches_the_new_ioas_only()
    {
        var rig = new Rig();
        rig.Attach();
        var next = rig.Host.AllocIoas();
        var nextMemory = rig.Host.Buffer(Page, 0x10);
        Assert.Equal(Errno.None, rig.Host.Map(next, nextMemory, Page, Iova));
        Assert.Equal(Errno.None, Iommufd.DeviceReplace(rig.Idev, next, out _));
        var before = rig.Snapshot();

        Assert.Null(rig.Device.DmaWrite(Iova, Payload));
        Assert.Equal(Payload, rig.Host.ReadMemory(nextMemory, Payload.Length));
        AssertFault(rig.Device.DmaWrite(Iova + Page, Payload), rig.Device, Iova + Page, true, IommuFaultReason.NotMapped);
        Assert.Equal(before, rig.Snapshot());
    }

    [Fact]
    public void An_attached_device_writing_its_software_msi_window_raises_an_interrupt_and_touches_no_memory()
    {
        var rig = new Rig(new ReservedRegion(MsiWindow, 0x10_0000, ReservedRegionKind.SoftwareMsi));
        rig.Attach();
        var before = rig.Snapshot();

        Assert.Null(rig.Device.DmaWrite(MsiWindow, [0x20, 0, 0, 0]));
        Assert.Null(rig.Device.DmaWrite(MsiWindow + 4, [0x21, 0, 0, 0]));

        Assert.Equal(2, rig.Device.Interrupts);
        Assert.Empty(rig.Device.Faults);
        Assert.Equal(before, rig.Snapshot());

        // Only the doorbell page is special: elsewhere in the reserved window nothing is mapped.
        AssertFault(rig.Device.DmaWrite(MsiWindow + (4 * Page), [1]), rig.Device, MsiWindow + (4 * Page), true, IommuFaultReason.NotMapped);
        Assert.Equal(2, rig.Device.Interrupts);
    }

    [Fact]
    public void Msi_writes_are_blocked_before_attach_and_after_detach()
    {
        var rig = new Rig(new ReservedRegion(MsiWindow, 0x10_0000, ReservedRegionKind.SoftwareMsi));

        AssertFault(rig.Device.DmaWrite(MsiWindow, [1, 0, 0, 0]), rig.Device, MsiWindow, true, IommuFaultReason.Blocked);
        rig.Attach();
        Assert.Null(rig.Device.DmaWrite(MsiWindow, [1, 0, 0, 0]));
        Iommufd.DeviceDetach(rig.Idev);
        AssertFault(rig.Device.DmaWrite(MsiWindow, [1, 0, 0, 0]), rig.Device, MsiWindow, true, IommuFaultReason.Blocked);

        Assert.Equal(1, rig.Device.Interrupts);
    }

    [Fact]
    public void A_device_without_a_software_msi_window_raises_no_interrupt_there()
    {
        var rig = new Rig();
        rig.Attach();

        AssertFault(rig.Device.DmaWrite(MsiWindow, [1, 0, 0, 0]), rig.Device, MsiWindow, true, IommuFaultReason.NotMapped);

        Assert.Equal(0, rig.Device.Interrupts);
    }

    [Fact]
    public void Through_the_vfio_cdev_sim_dma_refusals_are_EIO_with_a_fault_and_no_change()
    {
        var host = new KapiHost();
        var device = host.AddBareDevice();
        var node = VfioPciDriver.Bind(device);
        var vfioFd = host.Process.OpenVfioDevice(node);
        var vfio = host.Process.File(vfioFd);
        Assert.Equal(Errno.None, vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, host.Fd, 0, out _));
        var ioas = host.AllocIoas();
        var memory = host.Buffer(2 * Page, 0x5C);
        Assert.Equal(Errno.None, host.Map(ioas, memory, Page, Iova));
        Assert.Equal(Errno.None, host.Map(ioas, memory + Page, Page, Iova + Page, readable: true, writeable: false));
        var source = host.Buffer(Page, 0xEE);

        // Blocked before attach.
        Assert.Equal(Errno.EIO, vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, Iova, source, 8));
        Assert.Equal(IommuFaultReason.Blocked, device.Faults.Last().Reason);
        Assert.Equal(Errno.None, vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _));
        var before = host.ReadMemory(memory, (int)(2 * Page));

        Assert.Equal(Errno.EIO, vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, Iova + (2 * Page), source, 8));
        Assert.Equal(IommuFaultReason.NotMapped, device.Faults.Last().Reason);
        Assert.Equal(Errno.EIO, vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, Iova + Page, source, 8));
        Assert.Equal(IommuFaultReason.PermissionDenied, device.Faults.Last().Reason);
        Assert.Equal(before, host.ReadMemory(memory, (int)(2 * Page)));

        Assert.Equal(Errno.None, vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, Iova + 16, source, 8));
        Assert.Equal(new byte[] { 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE }, host.ReadMemory(memory + 16, 8));
        var sink = host.Buffer(Page);
        Assert.Equal(Errno.None, vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova + Page, sink, 4));
        Assert.Equal(new byte[] { 0x5C, 0x5C, 0x5C, 0x5C }, host.ReadMemory(sink, 4));
        Assert.Equal(3, device.Faults.Count);

        Assert.Equal(Errno.None, host.Process.Close(vfioFd));
        host.AssertNoWarnings();
    }
}
