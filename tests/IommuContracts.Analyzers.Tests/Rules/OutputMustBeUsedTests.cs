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
                Errno Attach(IommufdDevice idev, ObjectId ioas)
                {
                    var pt = ioas;
                    var rc = Iommufd.DeviceAttach(idev, {|IOMMU0015:ref pt|});
                    return rc;
                }

                Errno AttachAndReport(IommufdDevice idev, ObjectId ioas)
                {
                    var pt = ioas;
                    var rc = Iommufd.DeviceAttach(idev, ref pt);
                    Console.WriteLine(pt);
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
}
