namespace IommuContracts.Generators.Model;

/// <summary>One ioctl handler of a dispatcher.</summary>
internal sealed record HandlerModel(
    string MethodName,
    string CommandTypeName,
    byte Number,
    uint Command,
    Convention Convention,
    ArgumentKind Argument,
    bool TakesCall);

/// <summary>A dispatcher class and its handlers, in declaration order.</summary>
internal sealed record DispatcherModel(
    string Namespace,
    string Name,
    string? GateMethod,
    EquatableArray<HandlerModel> Handlers) : INamedModel;
