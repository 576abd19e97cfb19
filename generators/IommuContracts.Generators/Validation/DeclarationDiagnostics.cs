using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>
/// IOMMUGEN rules: malformed declarations the generator skips. Reported by <see cref="DeclarationAnalyzer"/>,
/// never by the generator, so that source positions never enter the generator's cached models.
/// </summary>
internal static class DeclarationDiagnostics
{
    public const string Category = "IommuContracts.Declarations";
    public const string HelpLinkBase = "https://github.com/IommuContracts/IommuContracts/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor StructNotPartial = Error(
        "IOMMUGEN001",
        "Annotated type must be partial",
        "'{0}' must be declared 'partial' so the generator can add its command metadata or dispatch table");

    public static readonly DiagnosticDescriptor StructNotSequential = Error(
        "IOMMUGEN002",
        "Ioctl struct must use sequential layout",
        "Ioctl struct '{0}' must use the default sequential layout without Pack or Size, so its bytes match the kernel's struct; remove the [StructLayout] override");

    public static readonly DiagnosticDescriptor FieldNotBlittable = Error(
        "IOMMUGEN003",
        "Ioctl struct field must be blittable",
        "Field '{0}' has type '{1}', which has no fixed C layout; use a sized integer, an enum, a typed ID or a blittable struct (user pointers are 'ulong')");

    public static readonly DiagnosticDescriptor SizeFieldMissing = Error(
        "IOMMUGEN004",
        "Ioctl struct has no size field",
        "Ioctl struct '{0}' has no [SizeField]; mark its leading 'uint' size (iommufd) or argsz (VFIO) field");

    public static readonly DiagnosticDescriptor SizeFieldNotFirst = Error(
        "IOMMUGEN005",
        "Size field must be the first field",
        "Size field '{0}' must be the first field of the struct: the kernel reads the size from offset 0");

    public static readonly DiagnosticDescriptor SizeFieldNotUInt32 = Error(
        "IOMMUGEN006",
        "Size field must be a 32-bit unsigned integer",
        "Size field '{0}' has type '{1}'; declare it as 'uint' (the kernel's __u32 size/argsz)");

    public static readonly DiagnosticDescriptor DuplicateCommand = Error(
        "IOMMUGEN007",
        "Duplicate command in one dispatcher",
        "Handler '{0}' handles command 0x{1:X4}, which '{2}' already handles in this dispatcher; each command (and each iommufd table slot) may have one handler");

    public static readonly DiagnosticDescriptor HandlerSignature = Error(
        "IOMMUGEN008",
        "Ioctl handler has the wrong signature",
        "Handler '{0}' must have the signature {1}");

    public static readonly DiagnosticDescriptor ReservedWrongType = Error(
        "IOMMUGEN009",
        "Reserved field must be an integer",
        "[Reserved] field '{0}' has type '{1}'; reserved fields must be sized integers so they can be checked for zero");

    public static readonly DiagnosticDescriptor FlagsWrongType = Error(
        "IOMMUGEN010",
        "Checked flags field must be an unsigned [Flags] enum",
        "[CheckedFlags] field '{0}' has type '{1}'; use an enum marked [Flags] with an unsigned underlying type, whose members are the bits the kernel accepts");

    public static readonly DiagnosticDescriptor MinimumSizeInvalid = Error(
        "IOMMUGEN011",
        "Minimum size is out of range",
        "Ioctl struct '{0}' has minimum size {1}, but it must cover the size field and not exceed sizeof ({2}); mark exactly one [LastMandatory] field or fix MinimumSize");

    public static readonly DiagnosticDescriptor NotTopLevel = Error(
        "IOMMUGEN012",
        "Annotated type must be a non-generic top-level type",
        "'{0}' must be declared directly in a namespace and must not be generic, so the generator can extend it");

    public static readonly DiagnosticDescriptor HandlerCommandInvalid = Error(
        "IOMMUGEN013",
        "Handler names a type that is not a valid ioctl command",
        "Handler '{0}' names '{1}', which is not a well-formed [IoctlCommand] struct; fix that declaration or name another command");

    public static readonly DiagnosticDescriptor FlagGatedFieldInvalid = Error(
        "IOMMUGEN014",
        "Flag-gated field needs a checked flags field that declares its flag",
        "Field '{0}' is required with flag 0x{1:X}, but the struct has no [CheckedFlags] field declaring that bit, or does not use VFIO's minimum-and-tails copy-in");

    public static readonly DiagnosticDescriptor ValueCommandHasFields = Error(
        "IOMMUGEN015",
        "Value command must not declare fields",
        "Ioctl '{0}' takes its argument by value, so its struct must be empty; remove its fields or make it a pointer command");

    public static readonly DiagnosticDescriptor TypedIdMalformed = Error(
        "IOMMUGEN016",
        "Typed object ID must be an empty readonly partial struct",
        "Typed ID '{0}' must be a 'readonly partial struct' without instance fields; the generator adds its 32-bit value");

    public static readonly DiagnosticDescriptor ObjectMalformed = Error(
        "IOMMUGEN017",
        "Object kind declaration is malformed",
        "Object class '{0}' {1}");

    public static readonly DiagnosticDescriptor DuplicateObjectKind = Error(
        "IOMMUGEN018",
        "Duplicate object kind number",
        "Object class '{0}' uses kind {1}, which '{2}' already uses; kind numbers must be unique and greater than 0",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor DuplicateStubName = Error(
        "IOMMUGEN019",
        "Duplicate stub name",
        "Ioctl '{0}' would generate stub '{1}', which '{2}' in the same namespace also generates; set a distinct StubName",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor TypedIdKindInvalid = Error(
        "IOMMUGEN020",
        "Typed object ID lists an invalid kind",
        "Typed ID '{0}' lists '{1}', which {2}; list two or more distinct [TypedObjectId] structs of one kind each");

    public static readonly DiagnosticDescriptor InOutOutputTypeInvalid = Error(
        "IOMMUGEN021",
        "In/out field returns a type it cannot hold",
        "[InOut] field '{0}' of type '{1}' returns '{2}', which is not a typed object ID of one kind that the field can hold; name a [TypedObjectId] struct that is the field's type or one of its kinds (or make the field an ObjectId)");

    private static DiagnosticDescriptor Error(string id, string title, string message, params string[] tags)
        => new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md", customTags: tags);
}
