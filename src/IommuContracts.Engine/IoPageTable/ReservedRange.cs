namespace IommuContracts.Engine.IoPageTable;

/// <summary>A reserved IOVA range and who reserved it: a domain (aperture holes), a device (reserved regions) or nobody (selftest).</summary>
internal sealed record ReservedRange(object? Owner);
