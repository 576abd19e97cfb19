namespace IommuContracts.Generators;

/// <summary>Metadata names of the attributes in IommuContracts.Contracts that drive the generator.</summary>
internal static class AttributeNames
{
    public const string Namespace = "IommuContracts.Contracts";
    public const string IoctlCommand = Namespace + ".IoctlCommandAttribute";
    public const string SizeField = Namespace + ".SizeFieldAttribute";
    public const string LastMandatory = Namespace + ".LastMandatoryAttribute";
    public const string Reserved = Namespace + ".ReservedAttribute";
    public const string CheckedFlags = Namespace + ".CheckedFlagsAttribute";
    public const string RequiredWithFlag = Namespace + ".RequiredWithFlagAttribute";
    public const string Output = Namespace + ".OutputAttribute";
    public const string InOut = Namespace + ".InOutAttribute";
    public const string ReportedOnError = Namespace + ".ReportedOnErrorAttribute";
    public const string IoctlDispatcher = Namespace + ".IoctlDispatcherAttribute";
    public const string IoctlHandler = Namespace + ".IoctlHandlerAttribute";
    public const string IoctlGate = Namespace + ".IoctlGateAttribute";
    public const string TypedObjectId = Namespace + ".TypedObjectIdAttribute";
    public const string IommufdObjectBase = Namespace + ".IommufdObjectBaseAttribute";
    public const string IommufdObject = Namespace + ".IommufdObjectAttribute";
    public const string IommufdObjectTable = Namespace + ".IommufdObjectTableAttribute";
    public const string OutputMustBeUsed = Namespace + ".OutputMustBeUsedAttribute";

    public const string Errno = "IommuContracts.Errno";
    public const string IoctlCall = "IommuContracts.Ioctl.IoctlCall";
    public const string IIoctlCommand = "IommuContracts.Ioctl.IIoctlCommand";
    public const string StructLayout = "System.Runtime.InteropServices.StructLayoutAttribute";
    public const string FieldOffset = "System.Runtime.InteropServices.FieldOffsetAttribute";
    public const string Flags = "System.FlagsAttribute";
    public const string InlineArray = "System.Runtime.CompilerServices.InlineArrayAttribute";
}
