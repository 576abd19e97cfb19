using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0104: a literal command number passed to a [RawIoctl] entry point (or an implementation or override of
/// one, such as <c>SimulatedIoctlFile.Ioctl</c>) when a typed stub exists for it.
/// The known commands are the [IoctlCommand] structs of IommuContracts and of the compilation itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandPackedIoctlAnalyzer : ContractAnalyzer
{
    /// <summary>Diagnostic property naming the struct whose Command constant replaces the literal (read by the code fix).</summary>
    public const string CommandTypeProperty = "CommandType";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.HandPackedIoctl);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.RawIoctl is null || symbols.IoctlCommand is null)
        {
            return;
        }

        var known = new System.Lazy<Dictionary<uint, KnownCommand>>(() => KnownCommands(start.Compilation, symbols.IoctlCommand));
        start.RegisterOperationAction(Guarded(operation =>
        {
            var invocation = (IInvocationOperation)operation.Operation;
            if (!symbols.IsRawIoctl(invocation.TargetMethod))
            {
                return;
            }

            var command = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "command");
            var literal = command?.Value is IConversionOperation conversion ? conversion.Operand : command?.Value;
            if (literal is not ILiteralOperation { ConstantValue: { HasValue: true, Value: { } value } }
                || !known.Value.TryGetValue(System.Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture), out var match))
            {
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(CommandTypeProperty, match.TypeName);
            operation.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.HandPackedIoctl, literal.Syntax.GetLocation(), properties,
                match.Command, match.KernelName, match.StubName));
        }), OperationKind.Invocation);
    }

    private static Dictionary<uint, KnownCommand> KnownCommands(Compilation compilation, INamedTypeSymbol ioctlCommand)
    {
        var commands = new Dictionary<uint, KnownCommand>();
        Collect(ioctlCommand.ContainingAssembly.GlobalNamespace, ioctlCommand, commands);
        Collect(compilation.Assembly.GlobalNamespace, ioctlCommand, commands);
        return commands;
    }

    private static void Collect(INamespaceSymbol scope, INamedTypeSymbol ioctlCommand, Dictionary<uint, KnownCommand> commands)
    {
        foreach (var member in scope.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                Collect(inner, ioctlCommand, commands);
            }
            else if (member is INamedTypeSymbol type && ContractSymbols.Find(type, ioctlCommand) is { } attribute
                     && type.GetMembers("Command").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: uint command })
            {
                var kernelName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? type.Name;
                var stubName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "StubName").Value.Value as string ?? type.Name;
                commands[command] = new KnownCommand(command, kernelName, stubName, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            }
        }
    }

    private sealed record KnownCommand(uint Command, string KernelName, string StubName, string TypeName);
}
