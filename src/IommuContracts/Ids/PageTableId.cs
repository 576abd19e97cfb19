using IommuContracts.Contracts;

namespace IommuContracts;

/// <summary>
/// What a device attaches to: an IO address space (the kernel picks or creates an automatic HWPT for it) or a
/// hardware page table. Converts implicitly from <see cref="IoasId"/> and <see cref="HwptId"/>, never from an
/// untyped ID; the attach returns the HWPT actually used as a <see cref="HwptId"/>.
/// </summary>
[TypedObjectId(typeof(IoasId), typeof(HwptId))]
public readonly partial struct PageTableId;
