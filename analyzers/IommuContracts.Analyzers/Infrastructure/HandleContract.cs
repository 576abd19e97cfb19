using System.Collections.Generic;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>What a call does with one handle argument (or the receiver): requires, moves, releases, acquires, takes.</summary>
internal sealed class HandleContract
{
    public HandleContract(HandleType type) => Type = type;

    public HandleType Type { get; }

    /// <summary>Each requirement: the allowed states and the rule reported when the handle is elsewhere.</summary>
    public List<(StateSet Allowed, string Rule)> Requirements { get; } = new();

    /// <summary>The state after the call (-1: unchanged).</summary>
    public int TransitionTo { get; set; } = -1;

    /// <summary>The transition happens even when the call fails.</summary>
    public bool TransitionAlways { get; set; }

    public bool Releases { get; set; }

    /// <summary>For an out parameter: the state a successful call leaves the new handle in (-1: not an acquisition).</summary>
    public int Acquires { get; set; } = -1;

    public bool TakesOwnership { get; set; }

    /// <summary>
    /// The parameter whose value selects the sub-state <see cref="KeyRequirements"/> and <see cref="KeyTransitionTo"/>
    /// are about (a device's PASID; null: none).
    /// </summary>
    public KeyParameter? Key { get; set; }

    /// <summary>Requirements on the sub-state of the key argument (attach: that PASID must not be attached).</summary>
    public List<(StateSet Allowed, string Rule)> KeyRequirements { get; } = new();

    /// <summary>The state the key argument's sub-state moves to (-1: unchanged).</summary>
    public int KeyTransitionTo { get; set; } = -1;

    /// <summary>The key's transition happens even when the call fails.</summary>
    public bool KeyTransitionAlways { get; set; }

    /// <summary>Requirements every sub-state must meet (unbind: no PASID still attached).</summary>
    public List<(StateSet Allowed, string Rule)> EveryKeyRequirements { get; } = new();

    public bool IsEmpty => Requirements.Count == 0 && TransitionTo < 0 && !Releases && Acquires < 0 && !TakesOwnership
                           && KeyRequirements.Count == 0 && KeyTransitionTo < 0 && EveryKeyRequirements.Count == 0;
}
