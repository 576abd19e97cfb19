namespace IommuContracts.Uapi;

/// <summary>
/// struct iommufd_vevent_header: precedes each vEVENT read(2) from a vEVENTQ's fd (8 bytes). A header with
/// <see cref="IommuVeventqFlags.LostEvents"/> has no data after it and says events were dropped because the
/// queue was full; a gap in <see cref="Sequence"/> says the same.
/// </summary>
public struct IommufdVeventHeader
{
    /// <summary>Combination of <see cref="IommuVeventqFlags"/>.</summary>
    public IommuVeventqFlags Flags;

    /// <summary>The event's index in the queue, 0 to INT_MAX, wrapping to 0.</summary>
    public uint Sequence;
}

/// <summary>enum iommu_veventq_flag.</summary>
[Flags]
public enum IommuVeventqFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>IOMMU_VEVENTQ_FLAG_LOST_EVENTS: events were lost after the previous one.</summary>
    LostEvents = 1 << 0,
}
