# Differential replay (issue 12): the engine's selftest ports and random mmap/munmap/ioctl/close sequences run on
# the engine's Linux 6.12 profile and on this kernel, compared step by step; a disagreement prints both traces.
# The program is the console project at realhost/Replay/*.csproj, run in the guest as
#   dotnet realhost/Replay/bin/Release/net10.0/<Project>.dll --boot <vtd|mock> [--long]
# with REALHOST_OUT set; it prints a closing "N passed, N failed, N skipped" line and exits 0 when engine and kernel
# agree. Without the project (a trimmed checkout) the check reports itself skipped (exit 77).
# boots: vtd mock
# timeout: 1200
# long-timeout: 14400
set -u
shopt -s nullglob
projects=(realhost/Replay/*.csproj)
if [ ${#projects[@]} -eq 0 ]; then
    echo "differential replay: realhost/Replay does not exist yet, skipped"
    exit 77
fi
project="${projects[0]}"
name="$(basename "$project" .csproj)"
if [ "$REALHOST_PHASE" = build ]; then
    exec dotnet build "$project" -c Release -nologo -v quiet
fi

args=(--boot "$REALHOST_BOOT")
[ "${REALHOST_LONG:-0}" = 1 ] && args+=(--long)
exec dotnet "realhost/Replay/bin/Release/net10.0/$name.dll" "${args[@]}"
