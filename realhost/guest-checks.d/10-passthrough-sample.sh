# The Passthrough sample's real-host tour (--device) on each device bound to vfio-pci: bind, IOAS, attach,
# IOVA ranges, map and unmap 16 MiB, detach, destroy. One count per device.
# boots: vtd
# timeout: 600
set -u
dll=samples/Passthrough/bin/Release/net10.0/Passthrough.dll
if [ "$REALHOST_PHASE" = build ]; then
    exec dotnet build samples/Passthrough/Passthrough.csproj -c Release -nologo -v quiet
fi

passed=0
failed=0
for device in $REALHOST_VFIO_DEVICES; do
    echo "== dotnet $dll --device $device"
    output="$(dotnet "$dll" --device "$device" 2>&1)"
    rc=$?
    echo "$output"
    if [ "$rc" -ne 0 ]; then
        echo "!! exit $rc on $device"
        failed=$((failed + 1))
    elif ! grep -q "usable IOVA" <<<"$output"; then
        echo "!! exit 0 but no usable IOVA range was printed for $device"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done
[ -n "$REALHOST_VFIO_DEVICES" ] || { echo "!! no VFIO device in this boot"; failed=$((failed + 1)); }
echo "passthrough: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
