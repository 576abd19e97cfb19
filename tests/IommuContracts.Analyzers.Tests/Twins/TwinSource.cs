namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>
/// The class most twin snippets are: a static class Twin whose Bad and Fixed take the lab and return an Errno.
/// Written once here, so a case states only the two bodies that differ; twins that need more types around
/// (ops classes, a nested driver) give their whole source instead.
/// </summary>
public static class TwinSource
{
    /// <summary>Twin marked [DriverManagedDma], as a kernel driver that binds devices through iommufd must be.</summary>
    public static string DriverManagedDma(string bad, string @fixed) => Twin("[DriverManagedDma]\n", bad, @fixed);

    /// <summary>Twin as a plain class, as a VMM that drives the VFIO and iommufd ioctls is.</summary>
    public static string Plain(string bad, string @fixed) => Twin("", bad, @fixed);

    private static string Twin(string attribute, string bad, string @fixed) => attribute + $$"""
        public static class Twin
        {
            public static Errno Bad(TwinLab lab)
            {
        {{MethodBody(bad)}}
            }

            public static Errno Fixed(TwinLab lab)
            {
        {{MethodBody(@fixed)}}
            }
        }
        """;

    // Indented as it would be written inline, so a compiler error's snippet reads like the source.
    private static string MethodBody(string statements)
        => string.Join("\n", statements.Split('\n').Select(line => line.Length == 0 ? line : "        " + line));
}
