using System.Reflection;
using IommuContracts.Cli.Analysis;
using IommuContracts.Cli.Inputs;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// The tool finds analyzers and generators by reflection in the shipped assemblies, so analyzers that land in
/// IommuContracts.Analyzers later are run (and listed in SARIF) with no change to the tool.
/// </summary>
public class AnalyzerDiscoveryTests
{
    [Fact]
    public void The_generator_assembly_yields_the_generator_and_the_declaration_analyzer()
    {
        var catalog = AnalyzerCatalog.Load([ShippedAssemblies.PathOf(ShippedAssemblies.Generators)]);

        Assert.Contains(catalog.Analyzers, analyzer => analyzer.GetType().Name == "DeclarationAnalyzer");
        Assert.NotEmpty(catalog.Generators);
        Assert.Equal(
            Enumerable.Range(1, 21).Select(n => $"IOMMUGEN{n:000}"),
            catalog.Descriptors.Select(d => d.Id).Where(id => id.StartsWith("IOMMUGEN", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_analyzer_type_in_the_analyzers_assembly_is_run_even_when_there_are_none_yet()
    {
        var path = ShippedAssemblies.PathOf(ShippedAssemblies.Analyzers);
        var declared = Assembly.LoadFrom(path).GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal);

        var catalog = AnalyzerCatalog.Load([path]);

        Assert.Equal(declared, catalog.Analyzers.Select(a => a.GetType().FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_assembly_with_a_new_analyzer_yields_it_and_its_rules()
    {
        // This test assembly stands in for IommuContracts.Analyzers once the contract analyzers land: it holds one
        // non-public analyzer (AnalyzerFailureTests.ThrowingAnalyzer) that the tool has never heard of.
        var catalog = AnalyzerCatalog.Load([typeof(AnalyzerDiscoveryTests).Assembly.Location]);

        Assert.Equal("ThrowingAnalyzer", Assert.Single(catalog.Analyzers).GetType().Name);
        Assert.Equal("TEST001", Assert.Single(catalog.Descriptors).Id);
    }

    [Fact]
    public void The_shipped_catalog_runs_both_assemblies()
    {
        var generatorsOnly = AnalyzerCatalog.Load([ShippedAssemblies.PathOf(ShippedAssemblies.Generators)]);
        var analyzersOnly = AnalyzerCatalog.Load([ShippedAssemblies.PathOf(ShippedAssemblies.Analyzers)]);

        var shipped = AnalyzerCatalog.LoadShipped();

        Assert.Equal(generatorsOnly.Analyzers.Length + analyzersOnly.Analyzers.Length, shipped.Analyzers.Length);
        Assert.Equal(generatorsOnly.Generators.Length + analyzersOnly.Generators.Length, shipped.Generators.Length);
    }

    [Fact]
    public void The_runtime_library_and_engine_ship_next_to_the_tool()
    {
        Assert.True(File.Exists(ShippedAssemblies.PathOf(ShippedAssemblies.RuntimeLibrary)));
        Assert.True(File.Exists(ShippedAssemblies.PathOf(ShippedAssemblies.Engine)));
    }
}
