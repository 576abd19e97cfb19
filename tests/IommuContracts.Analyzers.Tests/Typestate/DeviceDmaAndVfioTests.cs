using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// DMA before the device is owned through bind (IOMMU0001 / 0051), VFIO device ioctls before
/// VFIO_DEVICE_BIND_IOMMUFD (IOMMU0101) and fixed-IOVA maps after an attach without re-reading the ranges (IOMMU0103).
/// </summary>
public class DeviceDmaAndVfioTests
{
    [Fact]
    public async Task Dma_before_bind_is_IOMMU0001_and_after_a_successful_bind_is_clean()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                Errno Start(SimulatedKernel kernel, IommufdCtx ctx, PciAddress address)
                {
                    var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("iommu0"));
                    {|IOMMU0001:dev|}.DmaWrite(0x1000, new byte[4]);
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    dev.DmaWrite(0x1000, new byte[4]);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task Dma_when_the_bind_may_have_failed_is_IOMMU0051()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                void Start(SimulatedKernel kernel, IommufdCtx ctx, PciAddress address)
                {
                    var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("iommu0"));
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) == Errno.None)
                    {
                        Iommufd.DeviceUnbind(idev!);
                    }

                    {|IOMMU0051:dev|}.DmaRead(0x1000, new byte[4]);
                }
            }
            """);
    }

    [Fact]
    public async Task A_vfio_attach_before_bind_is_IOMMU0101()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Assign(SimulatedProcess process, VfioDeviceNode node, int iommufd, IoasId ioas)
                {
                    var device = process.File(process.OpenVfioDevice(node));
                    var rc = {|IOMMU0101:device|}.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_vfio_attach_after_a_checked_bind_is_clean()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Assign(SimulatedProcess process, VfioDeviceNode node, int iommufd, IoasId ioas)
                {
                    var device = process.File(process.OpenVfioDevice(node));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var devId);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    Console.WriteLine($"{devId} {hwpt}");
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_fixed_iova_map_after_attach_without_reading_the_ranges_is_IOMMU0103()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Map(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer)
                {
                    var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    var iova = 0x10000UL;
                    rc = iommufd.IoasMap(IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova);
                    if (rc != Errno.None) return rc;
                    iova = 0x20000UL;
                    rc = {|IOMMU0103:iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova)|};
                    return rc;
                }

                Errno MapAfterRefresh(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer, ulong ranges)
                {
                    var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    uint count = 4;
                    rc = iommufd.IoasIovaRanges(ioas, ranges, ref count, out _);
                    if (rc != Errno.None) return rc;
                    var iova = 0x20000UL;
                    return iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova);
                }

                Errno MapAfterReadingAnArray(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer)
                {
                    var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    rc = iommufd.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out _);
                    if (rc != Errno.None || ranges.Length == 0) return rc;
                    var iova = ranges[0].Start;
                    return iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova);
                }

                Errno MapAfterReadingASpan(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer)
                {
                    var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    Span<IommuIovaRange> ranges = stackalloc IommuIovaRange[8];
                    rc = iommufd.IoasIovaRanges(ioas, ranges, out var count, out _);
                    if (rc != Errno.None || count == 0) return rc;
                    var iova = ranges[0].Start;
                    return iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova);
                }
            }
            """);
    }
}
