# The real-kernel tests of the engine's test project (namespace IommuContracts.Engine.Tests.Linux: the Linux
# backend against /dev/iommu), run from the built dll with `dotnet test` (no MSBuild in the guest). TRX out.
# boots: vtd mock
# timeout: 900
set -u
project=tests/IommuContracts.Engine.Tests
dll=$project/bin/Release/net10.0/IommuContracts.Engine.Tests.dll
if [ "$REALHOST_PHASE" = build ]; then
    exec dotnet build $project/IommuContracts.Engine.Tests.csproj -c Release -nologo -v quiet
fi

dotnet test "$dll" --filter "FullyQualifiedName~IommuContracts.Engine.Tests.Linux." \
    --logger "trx;LogFileName=engine-linux-$REALHOST_BOOT.trx" --results-directory "$REALHOST_OUT"
