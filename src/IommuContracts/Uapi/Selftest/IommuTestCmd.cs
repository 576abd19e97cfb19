using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_test_cmd (IOMMU_TEST_CMD, selftest kernels only): a 16-byte header, an 8-aligned union of
/// per-op arguments, and a trailing <c>last</c> that marks the minimum size (68 of 72 bytes). Reserved
/// fields, flags and what is copied back are op-specific, so the handler deals with them.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0xA0, Name = "IOMMU_TEST_CMD", StubName = "TestCmd", Response = IoctlResponse.None)]
public partial struct IommuTestCmd
{
    [SizeField] public uint Size;
    public IommuTestOp Op;
    public ObjectId Id;
    [Reserved(Enforced = false)] public uint Reserved;
    [InOut] public IommuTestPayload Payload;
    [Reserved(Enforced = false), LastMandatory] public uint Last;
}
