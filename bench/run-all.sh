#!/usr/bin/env bash
# Runs every benchmark, each with its baseline in the same process and printing its ratios; writes
# bench/results/<name>.json and the Markdown table bench/RESULTS.md (bench/report.ts). `npm run bench`.
#
#   npm run bench                  full sizes (about 30-40 minutes; memory runs real n8n: the runtime from
#                                  `bash scripts/n8n-runtime.sh install`, dist/ is built first)
#   BENCH_SMOKE=1 npm run bench    tiny sizes, under a minute, no real n8n (.ci/run uses it so the benchmarks cannot
#                                  rot); the committed results and RESULTS.md are left as they are
#   BENCH_ONLY="mapper compare-datasets"   run only these (names of bench/<name>.bench.ts)
#
# Sizes (defaults in brackets; each bench's header says more):
#   mapper            BENCH_RECORDS [100000]  BENCH_ROUNDS [3]  BENCH_SAMPLE [2000, compile per record]
#   planner           BENCH_USERS [100000] (and 2x that)
#   compare-datasets  BENCH_COMPARE_SIZES [1000,10000]  BENCH_ROUNDS [3]
#   sync              BENCH_USERS [5000]  BENCH_RATE [50]  BENCH_LATENCY_MS [40]  BENCH_CONCURRENCY [4,16]  BENCH_BULK [off,on]
#   list-users        BENCH_USERS [5000]
#   memory            BENCH_MEMORY_SIZES [10000,50000,100000]  BENCH_MEMORY_MODES [dryRun,apply]
set -euo pipefail
cd "$(dirname "$0")/.."

ALL="mapper planner compare-datasets sync list-users memory"
ONLY="${BENCH_ONLY:-$ALL}"

bench() {
	local name="$1"
	shift
	case " $ONLY " in *" $name "*) ;; *) return 0 ;; esac
	echo "# bench/$name.bench.ts"
	env "$@" node --expose-gc --import tsx "bench/$name.bench.ts"
}

if [[ -n "${BENCH_SMOKE:-}" ]]; then
	# The smoke run writes into bench/results like the full one; keep the committed results.
	saved="$(mktemp -d)"
	cp -a bench/results/. "$saved/"
	trap 'rm -rf bench/results && mkdir -p bench/results && cp -a "$saved/." bench/results/ && rm -rf "$saved"' EXIT
	bench mapper BENCH_RECORDS=300 BENCH_ROUNDS=1 BENCH_SAMPLE=50
	bench planner BENCH_USERS=1000
	bench compare-datasets BENCH_COMPARE_SIZES=100,300 BENCH_ROUNDS=1
	bench sync BENCH_USERS=100 BENCH_RATE=2000 BENCH_LATENCY_MS=1 BENCH_CONCURRENCY=4 BENCH_BULK=off,on
	bench list-users BENCH_USERS=300
	echo "# memory (real n8n) is not part of the smoke run"
	node --import tsx bench/report.ts >/dev/null
	echo "benchmark smoke run: all benchmarks ran"
	exit 0
fi

bench mapper
bench planner
bench compare-datasets
bench sync
bench list-users
case " $ONLY " in *" memory "*) npm run build >/dev/null ;; esac
bench memory
node --import tsx bench/report.ts bench/RESULTS.md
echo "# wrote bench/RESULTS.md"
