using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.OutputMustBeUsedAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class OutputMustBeUsedTests
{
    [Fact]
    public async Task An_unread_pt_id_is_IOMMU0015_and_an_unread_unmap_length_is_IOMMU0102()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Attach(IommufdDevice idev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach(idev, ioas, {|IOMMU0015:out var hwpt|});
                    return rc;
                }

                Errno AttachAndReport(IommufdDevice idev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach(idev, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                }

                Errno Unmap(SimulatedIoctlFile iommufd, IoasId ioas)
                {
                    var length = ulong.MaxValue;
                    var rc = iommufd.IoasUnmap(ioas, 0, {|IOMMU0102:ref length|});
                    return rc;
                }

                Errno UnmapChecked(SimulatedIoctlFile iommufd, IoasId ioas, ulong expected)
                {
                    var length = expected;
                    var rc = iommufd.IoasUnmap(ioas, 0x1000, ref length);
                    return rc == Errno.None && length != expected ? Errno.EINVAL : rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_discarded_or_unread_hwpt_from_attach_replace_or_the_vfio_stub_is_IOMMU0015()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Discarded(IommufdDevice idev, IoasId ioas)
                    => Iommufd.DeviceAttach(idev, ioas, {|IOMMU0015:out _|});

                Errno DeclaredEarlier(IommufdDevice idev, HwptId target)
                {
                    HwptId hwpt;
                    var rc = Iommufd.DeviceReplace(idev, target, {|IOMMU0015:out hwpt|});
                    return rc;
                }

                Errno OverwrittenBeforeRead(IommufdDevice idev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach(idev, ioas, {|IOMMU0015:out var hwpt|});
                    hwpt = HwptId.None;
                    return rc;
                }

                Errno Vfio(SimulatedIoctlFile device, IoasId ioas)
                    => device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, {|IOMMU0015:out var hwpt|});
            }
            """);
    }

    [Fact]
    public async Task A_hwpt_that_is_read_returned_stored_or_passed_on_is_silent()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                private HwptId _hwpt;

                Errno Logged(IommufdDevice idev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach(idev, ioas, out var hwpt);
                    if (rc == Errno.None) Console.WriteLine($"attached to {hwpt}");
                    return rc;
                }

                Errno Stored(IommufdDevice idev, IoasId ioas) => Iommufd.DeviceAttach(idev, ioas, out _hwpt);

                Errno PassedOn(IommufdDevice idev, PageTableId pt, out HwptId hwpt) => Iommufd.DeviceReplace(idev, pt, out hwpt);

                HwptId Returned(SimulatedIoctlFile device, IoasId ioas)
                    => device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt) == Errno.None ? hwpt : HwptId.None;

                Errno SameDomain(IommufdDevice first, IommufdDevice second, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach(first, ioas, out var hwpt);
                    if (rc != Errno.None) return rc;
                    // Joining the first device's domain by its HWPT ID reads it.
                    return Iommufd.DeviceAttach(second, hwpt, out var joined) == Errno.None && joined == hwpt ? Errno.None : Errno.EINVAL;
                }

                void InALoop(IommufdDevice idev, IoasId[] targets)
                {
                    var last = HwptId.None;
                    foreach (var target in targets)
                    {
                        if (last.IsValid) Console.WriteLine(last);
                        if (Iommufd.DeviceReplace(idev, target, out last) != Errno.None) return;
                    }
                }
            }
            """);
    }
}
