using IommuContracts.Contracts;

namespace IommuContracts;

// One typed ID per iommufd object kind; the generator supplies the value, equality and conversions.
// Both HWPT kinds (paging and nested) share HwptId, as they share the uapi fields that name them.

/// <summary>An IO address space (IOMMU_IOAS_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct IoasId;

/// <summary>A hardware page table, paging or nested (IOMMU_HWPT_ALLOC, or chosen by attach).</summary>
[TypedObjectId]
public readonly partial struct HwptId;

/// <summary>A device bound to iommufd (returned by bind; no uapi creates it).</summary>
[TypedObjectId]
public readonly partial struct DeviceId;

/// <summary>An in-kernel access object (kAPI only).</summary>
[TypedObjectId]
public readonly partial struct AccessId;

/// <summary>A fault queue (IOMMU_FAULT_QUEUE_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct FaultId;

/// <summary>A virtual IOMMU (IOMMU_VIOMMU_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct ViommuId;

/// <summary>A virtual device of a vIOMMU (IOMMU_VDEVICE_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct VdeviceId;

/// <summary>A vIOMMU event queue (IOMMU_VEVENTQ_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct VeventqId;

/// <summary>A hardware queue of a vIOMMU (IOMMU_HW_QUEUE_ALLOC).</summary>
[TypedObjectId]
public readonly partial struct HwQueueId;

/// <summary>A selftest mock-device object (IOMMU_TEST_CMD MOCK_DOMAIN's stdev_id).</summary>
[TypedObjectId]
public readonly partial struct SelftestId;
