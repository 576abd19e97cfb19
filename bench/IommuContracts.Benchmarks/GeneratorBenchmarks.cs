using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IommuContracts.Benchmarks;

/// <summary>
/// What <see cref="Generators.IoctlGenerator"/> costs on a 500-file driver/VMM code base, as a ratio of what
/// compiling that code base costs. Every benchmark starts from the same pre-parsed trees and a compilation
/// with no symbols bound yet, so the ratios compare like with like.
/// </summary>
/// <remarks>
/// One invocation per iteration for every method: the edit benchmarks need an <c>[IterationSetup]</c>, which
/// forces that, and BenchmarkDotNet only computes ratios between benchmarks that share one job. A generator
/// run takes tens of milliseconds, so each invocation does <see cref="Batch"/> independent runs
/// (<c>OperationsPerInvoke</c>) to keep iterations above BenchmarkDotNet's 100 ms floor.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
[SteadyStateJit]
public class GeneratorBenchmarks
{
    public const int Batch = 6;

    private readonly GeneratorDriver[] _primedDrivers = new GeneratorDriver[Batch];
    private readonly CSharpCompilation[] _editedCompilations = new CSharpCompilation[Batch];
    private SyntheticWorkspace _workspace = null!;

    [GlobalSetup]
    public void CreateSyntheticProject() => _workspace = SyntheticWorkspace.Create(Console.Out);

    /// <summary>The compiler's own work for the project: bind and emit input plus generated trees (parsing excluded).</summary>
    [Benchmark(Baseline = true)]
    public long Compilation()
    {
        var compilation = CSharpCompilation.Create(
            SyntheticWorkspace.AssemblyName, _workspace.AllTrees, _workspace.References, SyntheticWorkspace.CompilationOptions);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Emit failed: " + string.Join(Environment.NewLine, result.Diagnostics.Take(5)));
        }

        return stream.Length;
    }

    /// <summary>A cold generator run, as in a command-line build: a new driver over a new compilation.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int GeneratorFullRun()
    {
        var generated = 0;
        for (var i = 0; i < Batch; i++)
        {
            generated += GeneratedCount(SyntheticWorkspace.CreateDriver().RunGenerators(_workspace.CreateInputCompilation()));
        }

        return generated;
    }

    [IterationSetup(Target = nameof(GeneratorAfterOneLineEdit))]
    public void PrimeForOneLineEdit() => Prime(_workspace.BodyEdit, bindDeclarations: false);

    /// <summary>The IDE case: the driver already ran, then one line inside a method body of an unrelated file changed.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int GeneratorAfterOneLineEdit() => RunPrimed();

    [IterationSetup(Target = nameof(GeneratorAfterOneLineEditWithDeclarationsBound))]
    public void PrimeForOneLineEditAndBindDeclarations() => Prime(_workspace.BodyEdit, bindDeclarations: true);

    /// <summary>
    /// As <see cref="GeneratorAfterOneLineEdit"/>, but the edited compilation has already bound its declarations
    /// (as when the IDE's own analysis got there first): what is left is the generator's share of the re-run.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int GeneratorAfterOneLineEditWithDeclarationsBound() => RunPrimed();

    [IterationSetup(Target = nameof(GeneratorAfterEditingADeclaration))]
    public void PrimeForDeclarationEdit() => Prime(_workspace.DeclarationEdit, bindDeclarations: false);

    /// <summary>The driver already ran, then one field of one ioctl struct was renamed (one generated file must change).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int GeneratorAfterEditingADeclaration() => RunPrimed();

    // Each of the Batch runs gets its own driver and compilation, so no run can reuse another's work.
    private void Prime(FileEdit edit, bool bindDeclarations)
    {
        for (var i = 0; i < Batch; i++)
        {
            var compilation = _workspace.CreateInputCompilation();
            _primedDrivers[i] = SyntheticWorkspace.CreateDriver().RunGenerators(compilation);
            _editedCompilations[i] = compilation.ReplaceSyntaxTree(edit.Original, edit.Edited);
            if (bindDeclarations)
            {
                _ = _editedCompilations[i].GetDeclarationDiagnostics();
            }
        }
    }

    private int RunPrimed()
    {
        var generated = 0;
        for (var i = 0; i < Batch; i++)
        {
            generated += GeneratedCount(_primedDrivers[i].RunGenerators(_editedCompilations[i]));
        }

        return generated;
    }

    // GetRunResult only collects what RunGenerators already produced; it keeps the result observable.
    private static int GeneratedCount(GeneratorDriver driver) => driver.GetRunResult().GeneratedTrees.Length;
}
