namespace IommuContracts.Engine.IoPageTable;

/// <summary>iopt_pages_list: a run of bytes of one pages object that a new area will map (one per source area for COPY).</summary>
internal sealed class PagesSpan
{
    public PagesSpan(IoPages pages, ulong startByte, ulong length)
    {
        Pages = pages;
        StartByte = startByte;
        Length = length;
    }

    /// <summary>The pages object; the span holds a reference on it until the area takes it over.</summary>
    public IoPages Pages { get; }

    public ulong StartByte { get; }

    public ulong Length { get; }

    public Area? Area { get; set; }
}
