namespace IommuContracts.Generators.Model;

// Mirrors of the enums in IommuContracts.Contracts (same values); the generator cannot reference that assembly.

internal enum Convention
{
    Iommufd = 0,
    Vfio = 1,
}

internal enum CopyIn
{
    ByConvention = 0,
    CopyStruct = 1,
    MinimumAndFlagTails = 2,
}

internal enum Response
{
    ByConvention = 0,
    WholeStruct = 1,
    OutputFields = 2,
    None = 3,
}

internal enum ArgumentKind
{
    Pointer = 0,
    Value = 1,
}
