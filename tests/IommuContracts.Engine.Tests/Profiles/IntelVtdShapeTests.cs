using System.Runtime.InteropServices;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// A device behind the VT-d-shaped IOMMU looks to user space as the e1000e does in the QEMU guest realhost boots
/// (-device intel-iommu,intremap=on,caching-mode=on, QEMU 7.2): the same IOVA ranges, the same hw_info, and the
/// same refusals of nesting and dirty tracking.
/// </summary>
public class IntelVtdShapeTests
{
    [Theory]
    [InlineData(39, 0x7F_FFFF_FFFFUL)]
    [InlineData(48, 0xFFFF_FFFF_FFFFUL)]
    public void The_iova_ranges_are_the_aperture_minus_the_interrupt_window(int addressWidth, ulong last)
    {
        using var machine = new VtdMachine(addressWidth);

        var (ranges, alignment) = machine.IovaRanges();

        Assert.Equal([(0UL, 0xFEDF_FFFFUL), (0xFEF0_0000UL, last)], ranges);
        Assert.Equal(4096UL, alignment);
    }

    [Fact]
    public void Hw_info_reports_intel_vtd_with_qemus_registers()
    {
        using var machine = new VtdMachine(39);
        var buffer = machine.Process.Mmap(4096);
        uint length = 64;
        var type = IommuHwInfoType.Default;

        Assert.Equal(Errno.None, machine.Iommufd.GetHwInfo(IommuHwInfoFlags.None, machine.DeviceId, buffer, ref length, ref type, out var maxPasid, out var capabilities));

        Assert.Equal(IommuHwInfoType.IntelVtd, type);
        Assert.Equal((uint)Marshal.SizeOf<IommuHwInfoVtd>(), length);
        Assert.Equal(0, maxPasid);
        Assert.Equal(IommuHwCapabilities.None, capabilities);
        var bytes = new byte[24];
        Assert.Equal(Errno.None, machine.Process.Read(buffer, bytes));
        var vtd = MemoryMarshal.Read<IommuHwInfoVtd>(bytes);
        Assert.Equal(IommuHwInfoVtdFlags.Errata772415Spr17, vtd.Flags);
        Assert.Equal(0x00D2_008C_2226_0286UL, vtd.CapReg);
        Assert.Equal(0xF0_0F4AUL, vtd.EcapReg);
    }

    [Fact]
    public void The_registers_follow_aw_bits()
    {
        Assert.Equal(0x00D2_008C_222F_0686UL, QemuIntelIommu.CapabilityRegister(48));
        Assert.Equal(0x00D2_008C_2226_0206UL, QemuIntelIommu.CapabilityRegister(39, cachingMode: false));
        Assert.Equal(0xF4AUL - 0x8, QemuIntelIommu.ExtendedCapabilityRegister(interruptRemapping: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => QemuIntelIommu.CapabilityRegister(57));
    }

    [Fact]
    public void Nesting_dirty_tracking_and_driver_data_are_refused()
    {
        using var machine = new VtdMachine(39);

        Assert.Equal(Errno.EOPNOTSUPP, machine.Iommufd.HwptAlloc(IommuHwptAllocFlags.NestParent, machine.DeviceId, machine.Ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _));
        Assert.Equal(Errno.EOPNOTSUPP, machine.Iommufd.HwptAlloc(IommuHwptAllocFlags.DirtyTracking, machine.DeviceId, machine.Ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _));
        Assert.Equal(Errno.EOPNOTSUPP, machine.Iommufd.HwptAlloc(IommuHwptAllocFlags.None, machine.DeviceId, machine.Ioas, IommuHwptDataType.VtdS1, 24, machine.Process.Mmap(4096), FaultId.None, out _));
        Assert.Equal(Errno.None, machine.Iommufd.HwptAlloc(IommuHwptAllocFlags.None, machine.DeviceId, machine.Ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out var hwpt));
        Assert.Equal(Errno.None, machine.Iommufd.Destroy(hwpt));
    }

    [Fact]
    public void Maps_into_the_interrupt_window_or_past_the_aperture_are_refused()
    {
        using var machine = new VtdMachine(39);
        var memory = machine.Process.Mmap(2 * 4096);
        const IommuIoasMapFlags Fixed = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

        ulong iova = 0xFEE0_0000;
        Assert.Equal(Errno.EINVAL, machine.Iommufd.IoasMap(Fixed, machine.Ioas, memory, 4096, ref iova));
        iova = 0xFEDF_F000;
        Assert.Equal(Errno.EINVAL, machine.Iommufd.IoasMap(Fixed, machine.Ioas, memory, 2 * 4096, ref iova));
        iova = 1UL << 39;
        Assert.Equal(Errno.EINVAL, machine.Iommufd.IoasMap(Fixed, machine.Ioas, memory, 4096, ref iova));
        iova = 0xFEDF_F000;
        Assert.Equal(Errno.None, machine.Iommufd.IoasMap(Fixed, machine.Ioas, memory, 4096, ref iova));
    }

    /// <summary>A VT-d machine with one PCI function bound to vfio-pci, bound and attached to an IOAS.</summary>
    private sealed class VtdMachine : IDisposable
    {
        public VtdMachine(int addressWidth)
        {
            var kernel = new SimulatedKernel();
            var node = VfioPciDriver.Bind(kernel.AddPciDevice(new PciAddress(0, 1, 0, 0), IommuInstance.IntelVtd("dmar0", addressWidth)));
            Process = new SimulatedProcess(kernel) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
            var fd = Process.OpenIommufd();
            Iommufd = Process.File(fd);
            var device = Process.File(Process.OpenVfioDevice(node));
            Assert.Equal(Errno.None, device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, fd, 0, out var id));
            DeviceId = id;
            Assert.Equal(Errno.None, Iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
            Ioas = ioas;
            Assert.Equal(Errno.None, device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _));
        }

        public SimulatedProcess Process { get; }

        public IIoctlFile Iommufd { get; }

        public DeviceId DeviceId { get; }

        public IoasId Ioas { get; }

        public (List<(ulong Start, ulong Last)> Ranges, ulong Alignment) IovaRanges()
        {
            var array = Process.Mmap(4096);
            uint count = 8;
            Assert.Equal(Errno.None, Iommufd.IoasIovaRanges(Ioas, array, ref count, out var alignment));
            var bytes = new byte[count * 16];
            Assert.Equal(Errno.None, Process.Read(array, bytes));
            var ranges = MemoryMarshal.Cast<byte, IommuIovaRange>(bytes).ToArray().Select(r => (r.Start, r.Last)).ToList();
            return (ranges, alignment);
        }

        public void Dispose()
        {
            foreach (var fd in Process.OpenFds.Reverse())
            {
                Assert.Equal(Errno.None, Process.Close(fd));
            }

            Assert.Empty(Process.Kernel.Log.Warnings);
        }
    }
}
