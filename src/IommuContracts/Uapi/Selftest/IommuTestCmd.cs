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
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The test operation to run.</summary>
    public IommuTestOp Op;
    /// <summary>The object the operation acts on (an IOAS, HWPT, device or access, as the operation defines).</summary>
    public ObjectId Id;
    /// <summary>Reserved; the kernel does not check it.</summary>
    [Reserved(Enforced = false)] public uint Reserved;
    /// <summary>The operation's arguments and results (<see cref="IommuTestPayload"/>).</summary>
    [InOut] public IommuTestPayload Payload;
    /// <summary>Marks the end of the minimum size; the kernel never reads it.</summary>
    [Reserved(Enforced = false), LastMandatory] public uint Last;
}
