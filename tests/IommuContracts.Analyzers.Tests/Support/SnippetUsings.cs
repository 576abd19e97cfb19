namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// The using directives every test snippet is compiled after, so a snippet names kAPI, engine and UAPI types
/// bare. One list for the verifiers, the runtime twins and the rule pages' examples, so they cannot drift.
/// </summary>
public static class SnippetUsings
{
    public const string Text = """
        using System;
        using IommuContracts;
        using IommuContracts.Contracts;
        using IommuContracts.Engine.Drivers;
        using IommuContracts.Engine.Host;
        using IommuContracts.Engine.Iommu;
        using IommuContracts.Engine.Kapi;
        using IommuContracts.Uapi;

        """;
}
