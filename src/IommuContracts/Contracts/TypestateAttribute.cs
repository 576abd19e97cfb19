namespace IommuContracts.Contracts;

/// <summary>
/// Declares a handle type and its live states, the first being the state a value is in before anything
/// happened to it in a method that drives its lifecycle. Releasing a handle ends it; any later use is
/// reported as <see cref="UseAfterReleaseRule"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = false)]
public sealed class TypestateAttribute : Attribute
{
    /// <summary>Declares the handle type's live states.</summary>
    /// <param name="states">The live states, the initial one first.</param>
    public TypestateAttribute(params string[] states) => States = states;

    /// <summary>The live states, the initial one first.</summary>
    public string[] States { get; }

    /// <summary>The rule reported for any use of a released handle.</summary>
    public string UseAfterReleaseRule { get; set; } = RuleIds.UseAfterUnbind;

    /// <summary>The rule reported for a handle acquired in a method and not released (or handed on) on some path.</summary>
    public string LeakRule { get; set; } = RuleIds.Leak;
}
