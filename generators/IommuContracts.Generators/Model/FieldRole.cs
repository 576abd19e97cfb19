using System;

namespace IommuContracts.Generators.Model;

/// <summary>What the field attributes say about one field.</summary>
[Flags]
internal enum FieldRole
{
    None = 0,
    Size = 1 << 0,
    LastMandatory = 1 << 1,
    Reserved = 1 << 2,
    UncheckedReserved = 1 << 3,
    CheckedFlags = 1 << 4,
    RequiredWithFlag = 1 << 5,
    Output = 1 << 6,
    InOut = 1 << 7,
    ReportedOnError = 1 << 8,
}
