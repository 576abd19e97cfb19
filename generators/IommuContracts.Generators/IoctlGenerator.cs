using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using IommuContracts.Generators.Emit;
using IommuContracts.Generators.Model;
using IommuContracts.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Generators;

/// <summary>
/// Turns attribute-declared uapi structs, dispatchers, typed IDs and object kinds into command metadata,
/// validation, dispatch tables, client stubs and object tables. Every pipeline starts with
/// ForAttributeWithMetadataName and carries only value-equal models; malformed declarations are skipped
/// here and reported by <see cref="DeclarationAnalyzer"/>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class IoctlGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var structs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.IoctlCommand,
                static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Read(ctx, IoctlStructReader.Read, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.IoctlStructs);
        context.RegisterSourceOutput(UniqueOutputs.Of(structs, ".Ioctl"), static (spc, output) =>
            spc.AddSource(output.HintName, IoctlStructEmitter.Emit(output.Model)));

        var dispatchers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.IoctlDispatcher,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Read(ctx, DispatcherReader.Read, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.Dispatchers);
        context.RegisterSourceOutput(UniqueOutputs.Of(dispatchers, ".Dispatch"), static (spc, output) =>
            spc.AddSource(output.HintName, DispatcherEmitter.Emit(output.Model)));

        var ids = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.TypedObjectId,
                static (node, _) => node is StructDeclarationSyntax,
                static (ctx, ct) => Read(ctx, TypedIdReader.Read, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.TypedIds);
        context.RegisterSourceOutput(UniqueOutputs.Of(ids, ".Id"), static (spc, output) =>
            spc.AddSource(output.HintName, TypedIdEmitter.Emit(output.Model)));

        InitializeObjectTables(context);
    }

    private static void InitializeObjectTables(IncrementalGeneratorInitializationContext context)
    {
        var kinds = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.IommufdObject,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Read(ctx, ObjectReader.ReadKind, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.ObjectKinds);
        context.RegisterSourceOutput(UniqueOutputs.Of(kinds, ".Object"), static (spc, output) =>
            spc.AddSource(output.HintName, ObjectTableEmitter.EmitKind(output.Model)));

        var bases = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.IommufdObjectBase,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Read(ctx, ObjectReader.ReadBase, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.ObjectBases);

        var tables = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.IommufdObjectTable,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Read(ctx, ObjectReader.ReadTable, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.ObjectTables);

        var allKinds = kinds.Collect().Select(static (k, _) => new EquatableArray<ObjectKindModel>(k)).WithTrackingName(TrackingNames.ObjectGraph);

        context.RegisterSourceOutput(UniqueOutputs.Of(bases, ".ObjectKinds").Combine(allKinds), static (spc, pair) =>
        {
            var (output, all) = pair;
            var mine = KindsOf(output.Model.FullName, all);
            spc.AddSource(output.HintName, ObjectTableEmitter.EmitBase(output.Model, mine));
        });

        context.RegisterSourceOutput(UniqueOutputs.Of(tables, ".Lookups").Combine(allKinds), static (spc, pair) =>
        {
            var (output, all) = pair;
            var table = output.Model;
            var mine = KindsOf(table.BaseFullName, all);
            var kindEnum = table.BaseFullName.Substring(0, table.BaseFullName.LastIndexOf('.') + 1) + "ObjectKind";
            spc.AddSource(output.HintName, ObjectTableEmitter.EmitTable(table, mine, kindEnum));
        });
    }

    // Kinds of one base in kind order; of a duplicated kind number only the first by name is kept (IOMMUGEN018 reports
    // the rest), and a kind declared on several parts of a partial class counts once.
    private static ImmutableArray<ObjectKindModel> KindsOf(string baseFullName, EquatableArray<ObjectKindModel> all)
        => all.Where(k => k.BaseFullName == baseFullName)
            .GroupBy(k => k.Kind)
            .Select(g => g.OrderBy(k => k.FullName, StringComparer.Ordinal).First())
            .OrderBy(k => k.Kind)
            .ToImmutableArray();

    // Runs a reader on the attributed symbol; a malformed declaration, or a bug in a reader, yields no model.
    private static T? Read<T>(GeneratorAttributeSyntaxContext context, Func<INamedTypeSymbol, Problems, T?> reader, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        try
        {
            return reader(type, Problems.CountOnly());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }
}
