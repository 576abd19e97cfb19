using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using IommuContracts.Package.Tests.Support;

namespace IommuContracts.Package.Tests;

/// <summary>
/// What reaches IntelliSense and the debugger: each package ships its XML documentation next to its assembly, and a
/// symbols package (.snupkg) holds the portable PDB that belongs to that very assembly, with every source file
/// embedded or mapped by Source Link.
/// </summary>
[Collection(PackageCollection.Name)]
public class SymbolsAndDocsTests(PackageFixture package)
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Assemblies => new("IommuContracts", "IommuContracts.Engine");

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_package_ships_the_xml_documentation_of_its_public_api(string assembly)
    {
        var docs = XmlDocs(assembly);

        Assert.Equal(assembly, docs.Element("assembly")?.Element("name")?.Value);
        var members = docs.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m, StringComparer.Ordinal);
        Assert.True(members.Count > 100, $"{assembly}.xml documents only {members.Count} members");
        if (assembly == "IommuContracts")
        {
            Assert.Contains("Linux", members["T:IommuContracts.Errno"].Value, StringComparison.Ordinal);
            Assert.Contains("in use", members["F:IommuContracts.Errno.EBUSY"].Value, StringComparison.Ordinal);

            // Generated members reach IntelliSense too: a typed ID's constructor and a stub's parameters.
            Assert.Contains("0 gives the invalid", members["M:IommuContracts.IoasId.#ctor(System.UInt32)"].Value, StringComparison.Ordinal);
            var ioasMap = members.Single(m => m.Key.StartsWith("M:IommuContracts.Uapi.IoctlStubs.IoasMap(", StringComparison.Ordinal)).Value;
            var iova = ioasMap.Elements("param").Single(p => (string?)p.Attribute("name") == "iova");
            Assert.Equal("F:IommuContracts.Errno.None", ioasMap.Element("returns")?.Element("see")?.Attribute("cref")?.Value);
            Assert.Equal("F:IommuContracts.Uapi.IommuIoasMap.Iova", iova.Element("see")?.Attribute("cref")?.Value);
        }
        else
        {
            // The member a user lost time on: its doc says why it stays 0 in the default accounting mode.
            Assert.Contains("process accounting mode", members["P:IommuContracts.Engine.Host.SimulatedProcess.LockedPages"].Value, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_symbols_package_holds_the_pdb_of_the_shipped_assembly_with_its_sources(string assembly)
    {
        var (nupkg, snupkg) = assembly == "IommuContracts"
            ? (package.RuntimePackage, package.RuntimeSymbolsPackage)
            : (package.EnginePackage, package.EngineSymbolsPackage);
        Assert.True(File.Exists(snupkg), $"{snupkg} was not packed");
        Assert.Equal([$"lib/net8.0/{assembly}.pdb"], PackageLayoutTests.PayloadFiles(snupkg));
        Assert.Equal("SymbolsPackage", PackageLayoutTests.Nuspec(snupkg).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);

        var dll = Entry(nupkg, $"lib/net8.0/{assembly}.dll");
        var pdb = Entry(snupkg, $"lib/net8.0/{assembly}.pdb");
        using var pe = new PEReader(new MemoryStream(dll));
        var codeView = pe.ReadDebugDirectory().Single(entry => entry.Type == DebugDirectoryEntryType.CodeView);
        var expected = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        Assert.Equal(expected, new Guid(reader.DebugMetadataHeader!.Id.AsSpan(0, 16)));

        var sourceLink = SourceLinkMap(reader);
        var documents = reader.Documents.Select(handle => reader.GetDocument(handle)).ToList();
        Assert.NotEmpty(documents);
        Assert.All(documents, document =>
        {
            var path = reader.GetString(document.Name);
            var embedded = reader.GetCustomDebugInformation((DocumentHandle)reader.Documents.First(h => reader.GetDocument(h).Name.Equals(document.Name)))
                .Any(handle => reader.GetGuid(reader.GetCustomDebugInformation(handle).Kind) == EmbeddedSource);
            Assert.True(embedded || sourceLink.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)), $"{path} is neither embedded nor mapped by Source Link");
        });
    }

    private XElement XmlDocs(string assembly)
    {
        var nupkg = assembly == "IommuContracts" ? package.RuntimePackage : package.EnginePackage;
        return XElement.Parse(Encoding.UTF8.GetString(Entry(nupkg, $"lib/net8.0/{assembly}.xml")));
    }

    // The local path prefixes of the Source Link document map ("C:\src\*" -> "https://.../*"), when the PDB has one.
    private static List<string> SourceLinkMap(MetadataReader reader)
    {
        var blob = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLink)
            .Select(info => reader.GetBlobBytes(info.Value))
            .FirstOrDefault();
        if (blob is null)
        {
            return [];
        }

        using var json = JsonDocument.Parse(blob);
        return json.RootElement.GetProperty("documents").EnumerateObject().Select(entry => entry.Name.TrimEnd('*')).ToList();
    }

    private static byte[] Entry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(name)?.Open() ?? throw new InvalidOperationException($"{package} has no {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
