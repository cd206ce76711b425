#!/usr/bin/env bash
# Runs every native Go fuzz target in the module for the given time each.
# Crashers land in <pkg>/testdata/fuzz/<Target>/ (commit them).
set -euo pipefail
fuzztime=${1:-3s}
cd "$(dirname "$0")/.."
status=0
while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	echo "fuzz $pkg $target ($fuzztime)"
	if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz.$$.log 2>&1; then
		cat /tmp/fuzz.$$.log
		status=1
	fi
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/func //' | sort)
rm -f /tmp/fuzz.$$.log
exit $status
