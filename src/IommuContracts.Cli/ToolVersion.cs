using System.Reflection;

namespace IommuContracts.Cli;

/// <summary>The tool's version, from the assembly (the repository's Version property).</summary>
internal static class ToolVersion
{
    public const string Name = "iommufd-check";

    public const string InformationUri = "https://github.com/IommuContracts/IommuContracts";

    public static string Value { get; } = (typeof(ToolVersion).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
