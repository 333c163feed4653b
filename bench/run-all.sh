#!/usr/bin/env bash
# Runs every benchmark; each prints its own baseline and ratio. `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
for bench in bench/*.bench.ts; do
	echo "# $bench"
	node --expose-gc --import tsx "$bench"
done
