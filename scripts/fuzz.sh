#!/usr/bin/env bash
# Runs every native Go fuzz target in the module for the given time each.
# Crashers land in <pkg>/testdata/fuzz/<Target>/ (commit them).
#
# Go 1.26's fuzz coordinator can fail a target at the end of -fuzztime with
# a bare "context deadline exceeded" and no failing input (a shutdown race,
# go.dev/issue/75804, fixed in Go 1.27). Such a run wrote no crasher and
# found nothing: it is run again once, and only a second failure, or any
# failure that wrote a crasher, fails this script.
set -euo pipefail
fuzztime=${1:-3s}
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# crashers lists the failing inputs saved for a target.
crashers() { ls "$1/testdata/fuzz/$2" 2>/dev/null || true; }
while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	for try in 1 2; do
		echo "fuzz $pkg $target ($fuzztime)"
		before=$(crashers "$pkg" "$target")
		if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
			break
		fi
		if [ "$try" = 1 ] && [ "$(crashers "$pkg" "$target")" = "$before" ] &&
			grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
			echo "fuzz $pkg $target: the Go fuzz coordinator's end-of-time race (no input failed), once more"
			continue
		fi
		cat "$log"
		status=1
		break
	done
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/func //' | sort)
exit $status
