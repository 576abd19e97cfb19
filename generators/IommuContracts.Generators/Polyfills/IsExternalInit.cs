namespace System.Runtime.CompilerServices;

// Lets netstandard2.0 code use records and init accessors.
internal static class IsExternalInit
{
}
