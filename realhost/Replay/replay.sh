#!/usr/bin/env bash
# Runs the differential replay in the realhost guest (or anywhere) and writes its counts to a results folder.
#   realhost/Replay/replay.sh <IommuContracts.Replay.dll> <mock|vtd|simulated> <results-dir> [extra options]
# mock:      the selftest ports and random sequences, engine (Linux 6.12 profile) against /dev/iommu
#            (the guest booted with intel_iommu=off, so IOMMU_TEST_CMD's mock domains work);
# vtd:       the VT-d tour against /dev/vfio/devices/vfio0 and vfio1 (intel_iommu=on, both bound to vfio-pci);
# simulated: both sides simulated (a machine without /dev/iommu).
# With REALHOST_LONG=1 the mock boot runs 10 000 sequences instead of 300.
# Writes <results-dir>/replay.log (every scenario, every disagreement in full) and <results-dir>/counts
# ("N passed, N failed, N skipped"); exits 0 when every compared scenario and sequence agrees.
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 <IommuContracts.Replay.dll> <mock|vtd|simulated> <results-dir> [options]" >&2
    exit 2
fi
dll=$1 boot=$2 out=$3
shift 3
mkdir -p "$out"
args=(--boot "$boot" --out "$out")
[ "${REALHOST_LONG:-0}" = 1 ] && args+=(--long)
dotnet "$dll" "${args[@]}" "$@" | tee "$out/stdout"
rc=${PIPESTATUS[0]}
tail -n 1 "$out/stdout" > "$out/counts"
exit "$rc"
