using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>The arguments of one <c>[IoctlCommand]</c>, with the convention's defaults resolved.</summary>
internal sealed class CommandOptions
{
    public byte Type { get; private set; }

    public byte Number { get; private set; }

    public string? KernelName { get; private set; }

    public string? StubName { get; private set; }

    public Convention Convention { get; private set; }

    public ArgumentKind Argument { get; private set; }

    public CopyIn CopyIn { get; private set; }

    public Response Response { get; private set; }

    public int MinimumSize { get; private set; }

    public string? StubRequiresState { get; private set; }

    public string? StubStateRule { get; private set; }

    public string? StubTransitionsTo { get; private set; }

    public int IovaRanges { get; private set; }

    public Model.StubContract Contract => new(StubRequiresState, StubStateRule, StubTransitionsTo, IovaRanges);

    public CopyIn ResolvedCopyIn => CopyIn != CopyIn.ByConvention
        ? CopyIn
        : Convention == Convention.Iommufd ? CopyIn.CopyStruct : CopyIn.MinimumAndFlagTails;

    public Response ResolvedResponse => Response != Response.ByConvention
        ? Response
        : Convention == Convention.Iommufd ? Response.WholeStruct : Response.OutputFields;

    public static CommandOptions From(AttributeData attribute)
    {
        var options = new CommandOptions
        {
            Type = attribute.ConstructorArguments[0].Value is byte type ? type : (byte)0,
            Number = attribute.ConstructorArguments[1].Value is byte number ? number : (byte)0,
        };

        foreach (var argument in attribute.NamedArguments)
        {
            var value = argument.Value.Value;
            switch (argument.Key)
            {
                case "Name":
                    options.KernelName = value as string;
                    break;
                case "StubName":
                    options.StubName = value as string;
                    break;
                case "Convention" when value is int convention:
                    options.Convention = (Convention)convention;
                    break;
                case "Argument" when value is int kind:
                    options.Argument = (ArgumentKind)kind;
                    break;
                case "CopyIn" when value is int copyIn:
                    options.CopyIn = (CopyIn)copyIn;
                    break;
                case "Response" when value is int response:
                    options.Response = (Response)response;
                    break;
                case "MinimumSize" when value is int minimum:
                    options.MinimumSize = minimum;
                    break;
                case "StubRequiresState":
                    options.StubRequiresState = value as string;
                    break;
                case "StubStateRule":
                    options.StubStateRule = value as string;
                    break;
                case "StubTransitionsTo":
                    options.StubTransitionsTo = value as string;
                    break;
                case "IovaRanges" when value is int effect:
                    options.IovaRanges = effect;
                    break;
            }
        }

        return options;
    }
}
