namespace IommuContracts.Engine.IoPageTable;

/// <summary>A domain that can report every page size it supports (pgsize_bitmap), not only the smallest.</summary>
internal interface IPageSizeDomain
{
    ulong PageSizeBitmap { get; }
}
