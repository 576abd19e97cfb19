using IommuContracts.Engine.Profiles;

namespace IommuContracts.Replay;

/// <summary>The command line of the replay program.</summary>
internal sealed record ReplayOptions
{
    public const string Usage = """
        usage: IommuContracts.Replay [options]
          --boot mock|vtd|simulated  what to run: mock = selftest ports and random sequences against /dev/iommu (the
                                     guest booted with intel_iommu=off); vtd = the VT-d device tour against
                                     /dev/vfio/devices/vfio0 and vfio1 (intel_iommu=on); simulated = both sides simulated
          --engine PROFILE           the engine side's kernel profile (default linux-6.12)
          --kernel linux|PROFILE     the other side: the running kernel (default unless --boot simulated) or a profile
          --without FEATURE          take FEATURE (a name from docs/kernel-profiles.md) out of the --kernel profile:
                                     a deliberate perturbation, to see the comparer catch it
          --selftests | --no-selftests  run the selftest ports (default: on)
          --sequences N              random sequences to run (default 300; 10000 with --long; 0 for none)
          --long                     the long mode: 10000 sequences
          --thp | --no-thp           the simulated sides model a kernel with / without CONFIG_TRANSPARENT_HUGEPAGE (automatic
                                     IOVAs aligned to at most 2 MiB / a page); default: as the running kernel
                                     (/sys/kernel/mm/transparent_hugepage), with THP for --boot simulated
          --seed S                   the first sequence's seed (default 1); sequence i uses seed S+i
          --length L                 steps per sequence (default 40)
          --filter TEXT              only selftest scenarios whose name contains TEXT
          --out DIR                  write replay.log there (default: $REALHOST_OUT when set)
          --verbose                  list agreeing scenarios and sequences too
          --trace                    print every step of every scenario and sequence as the engine side recorded it
          --stats                    after the sequences, how often each ioctl (and test op) succeeded or failed, by errno
        exit code: 0 = every compared scenario and sequence agrees, 1 = a disagreement, 2 = cannot run
        """;

    public string Boot { get; init; } = "mock";

    public KernelProfile Engine { get; init; } = KernelProfile.Linux612;

    /// <summary>Null: the running kernel.</summary>
    public KernelProfile? Kernel { get; init; }

    public bool Selftests { get; init; } = true;

    public int Sequences { get; init; } = 300;

    public int Seed { get; init; } = 1;

    public int Length { get; init; } = 40;

    public string? Filter { get; init; }

    public string? Out { get; init; }

    public bool Verbose { get; init; }

    public bool Stats { get; init; }

    public bool Trace { get; init; }

    /// <summary>Null: as the running kernel when the other side is the kernel, else with THP.</summary>
    public bool? TransparentHugePages { get; init; }

    public static ReplayOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var options = new ReplayOptions { Out = Environment.GetEnvironmentVariable("REALHOST_OUT") };
        string? kernel = null;
        var without = new List<string>();
        int? sequences = null;
        var longMode = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--boot":
                        options = options with { Boot = Value() };
                        break;
                    case "--engine":
                        var engineName = Value();
                        options = options with { Engine = KernelProfile.Find(engineName) ?? throw new ArgumentException($"unknown profile {engineName}") };
                        break;
                    case "--kernel":
                        kernel = Value();
                        break;
                    case "--without":
                        without.Add(Value());
                        break;
                    case "--selftests":
                        options = options with { Selftests = true };
                        break;
                    case "--no-selftests":
                        options = options with { Selftests = false };
                        break;
                    case "--sequences":
                        sequences = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "--long":
                        longMode = true;
                        break;
                    case "--no-thp":
                        options = options with { TransparentHugePages = false };
                        break;
                    case "--thp":
                        options = options with { TransparentHugePages = true };
                        break;
                    case "--seed":
                        options = options with { Seed = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) };
                        break;
                    case "--length":
                        options = options with { Length = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) };
                        break;
                    case "--filter":
                        options = options with { Filter = Value() };
                        break;
                    case "--out":
                        options = options with { Out = Value() };
                        break;
                    case "--verbose":
                        options = options with { Verbose = true };
                        break;
                    case "--trace":
                        options = options with { Trace = true, Verbose = true };
                        break;
                    case "--stats":
                        options = options with { Stats = true };
                        break;
                    default:
                        throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                error = e.Message;
                return null;
            }
        }

        if (options.Boot is not ("mock" or "vtd" or "simulated"))
        {
            error = $"unknown boot {options.Boot}";
            return null;
        }

        kernel ??= options.Boot == "simulated" ? options.Engine.Name : "linux";
        KernelProfile? kernelProfile = null;
        if (kernel != "linux")
        {
            kernelProfile = KernelProfile.Find(kernel);
            if (kernelProfile is null)
            {
                error = $"unknown profile {kernel}";
                return null;
            }

            foreach (var name in without)
            {
                var feature = KernelFeatures.All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
                if (feature is null)
                {
                    error = $"unknown feature {name} (see docs/kernel-profiles.md)";
                    return null;
                }

                kernelProfile = kernelProfile.Without(feature);
            }
        }
        else if (without.Count != 0)
        {
            error = "--without perturbs a simulated --kernel profile only";
            return null;
        }

        return options with { Kernel = kernelProfile, Sequences = sequences ?? (longMode ? 10_000 : 300) };
    }
}
