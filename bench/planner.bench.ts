// Planner speed and memory against a minimal Map diff of the same data, in the same process.
//   speed:  planSync(100k records, 100k Plek users, 1% changed) / a Map diff (index by externalId, compare every
//           profile value with the same SCIM path reader)          target <= 2
//   growth: planSync at 200k / at 100k                              target <= 2.1 (linear is 2; the Map diff's own
//           growth is printed beside it: caches and the GC make even the baseline grow a little faster than linear)
//   memory: temporary memory per 1,000 users (allocated while planning and not kept in the plan)   target <= 1 MB
// Memory is measured in a child process whose young generation starts (--min-semi-space-size) large enough that
// no GC runs while planning, so heap growth during the call is everything it allocated (checked with --trace-gc:
// a GC inside the measured call fails the benchmark instead of under-counting). Prints a table and writes bench/results/planner.json.
// Both sides run bundled as the package ships them (bench/bundled.ts). BENCH_USERS=100000 (default) sets the base size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import type { planSync as PlanSync } from '../core/sync/planner';
import type { PlekUserRecord, ScimUser } from '../core/types';
import { median, report, timed } from './common';
import type { currentState as CurrentState, mapDiff as MapDiff, people as People } from './common';
import { loadBundled } from './bundled';

// The planner and its baseline as shipped (one esbuild bundle, bench/bundled.ts), not as tsx runs them.
const { planSync, currentState, mapDiff, people } = loadBundled<{
	planSync: typeof PlanSync;
	currentState: typeof CurrentState;
	mapDiff: typeof MapDiff;
	people: typeof People;
}>(`export { planSync } from '../core/sync/planner'; export { currentState, mapDiff, people } from './common';`, 'planner');

const plan = (records: PlekUserRecord[], users: ScimUser[]) => planSync(records, { users, groups: [] }, { groups: false });

interface Timing {
	wall: number;
	cpu: number;
}

/**
 * Waits until the process is idle: after global.gc() V8 sweeps the freed memory on a helper thread, and a run
 * timed during that sweep is distorted both ways - its CPU time counts the sweeper's (about 60 ms at 100k, for
 * the Map diff and planSync alike, so the CPU ratio looked better than it is), and an allocating run (planSync)
 * must help sweep on its own thread before it may allocate (so its wall time looked worse). Measured with the
 * sweep running: 2.12-2.28x wall / 1.83-2.22x CPU; settled: 2.76x / 3.14x at the same commit.
 */
async function settle(): Promise<void> {
	for (let waited = 0; waited < 3000; waited += 20) {
		const before = process.cpuUsage();
		await new Promise((resolve) => setTimeout(resolve, 20));
		const used = process.cpuUsage(before);
		if (used.user + used.system < 1000) return; // under 1 ms of CPU in 20 ms: nothing is running
	}
}

/**
 * Median wall and CPU time (user + system, GC threads included) of each run over `rounds` rounds, the runs
 * interleaved round by round so a busy moment of the (shared) machine hits all of them alike. Each run starts
 * after a full GC and once the process is idle (settle).
 */
async function medians<K extends string>(runs: Record<K, () => unknown>, rounds = 5): Promise<Record<K, Timing>> {
	const samples = {} as Record<K, { wall: number[]; cpu: number[] }>;
	for (const name of Object.keys(runs) as K[]) samples[name] = { wall: [], cpu: [] };
	for (let round = 0; round < rounds; round++) {
		for (const name of Object.keys(runs) as K[]) {
			global.gc?.(); // the previous run's garbage is collected outside the timed region
			await settle();
			const started = process.cpuUsage();
			samples[name].wall.push((await timed(runs[name])).ms);
			const used = process.cpuUsage(started);
			samples[name].cpu.push((used.user + used.system) / 1000);
		}
	}
	const result = {} as Record<K, Timing>;
	for (const name of Object.keys(runs) as K[]) result[name] = { wall: median(samples[name].wall), cpu: median(samples[name].cpu) };
	return result;
}

/** Child process: bytes allocated by one planSync call and bytes the plan keeps. */
function measureMemory(n: number): void {
	const records = people(n);
	const users = currentState(records);
	plan(people(1000), currentState(people(1000))); // warm up
	global.gc?.();
	// --trace-gc prints each GC to fd 1: the markers (written synchronously to the same fd) bracket the call.
	writeSync(1, `${PLANNING_STARTS}\n`);
	const before = process.memoryUsage().heapUsed;
	const kept = plan(records, users);
	const during = process.memoryUsage().heapUsed;
	writeSync(1, `${PLANNING_ENDS}\n`);
	global.gc?.();
	const after = process.memoryUsage().heapUsed;
	writeSync(1, `${JSON.stringify({ allocated: during - before, retained: after - before, steps: kept.steps.length })}\n`);
}

const PLANNING_STARTS = '-- planning starts --';
const PLANNING_ENDS = '-- planning ends --';

function memoryInChild(n: number): { allocated: number; retained: number } {
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--trace-gc', '--min-semi-space-size=1024', '--max-semi-space-size=2048', '--import', 'tsx', __filename],
		{ env: { ...process.env, PLANNER_BENCH_MEMORY: String(n) }, encoding: 'utf8', maxBuffer: 16 << 20 },
	);
	if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
	const lines = child.stdout.trim().split('\n');
	const during = lines.slice(lines.indexOf(PLANNING_STARTS) + 1, lines.indexOf(PLANNING_ENDS));
	if (during.length > 0) throw new Error(`a GC ran while planning, so heap growth under-counts what it allocated:\n${during.join('\n')}`);
	const result = lines.find((line) => line.startsWith('{"allocated"')); // GC lines may follow it
	if (result === undefined) throw new Error(`memory child printed no result:\n${child.stdout.slice(-2000)}`);
	return JSON.parse(result);
}

async function main() {
	const n = Number(process.env.BENCH_USERS ?? 100000);
	const records = people(n);
	const users = currentState(records);
	const bigRecords = people(2 * n);
	const bigUsers = currentState(bigRecords);
	plan(people(2000), currentState(people(2000))); // warm up the JIT
	mapDiff(people(2000), currentState(people(2000)));

	const t = await medians({
		diff: () => mapDiff(records, users),
		plan: () => plan(records, users),
		bigPlan: () => plan(bigRecords, bigUsers),
		bigDiff: () => mapDiff(bigRecords, bigUsers),
	});
	const steps = plan(records, users).steps.length;
	const memory = memoryInChild(n);
	const temporaryMbPer1k = (memory.allocated - memory.retained) / 1e6 / (n / 1000);
	const ms = (value: number) => Number(value.toFixed(1));
	const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
	const result = {
		users: n,
		mapDiffMs: ms(t.diff.wall),
		planMs: ms(t.plan.wall),
		planVsMapDiff: ratio(t.plan.wall, t.diff.wall),
		planMs2x: ms(t.bigPlan.wall),
		growth2x: ratio(t.bigPlan.wall, t.plan.wall),
		mapDiffGrowth2x: ratio(t.bigDiff.wall, t.diff.wall),
		cpu: {
			mapDiffMs: ms(t.diff.cpu),
			planMs: ms(t.plan.cpu),
			planVsMapDiff: ratio(t.plan.cpu, t.diff.cpu),
			planMs2x: ms(t.bigPlan.cpu),
			growth2x: ratio(t.bigPlan.cpu, t.plan.cpu),
			mapDiffGrowth2x: ratio(t.bigDiff.cpu, t.diff.cpu),
		},
		temporaryMbPer1kUsers: Number(temporaryMbPer1k.toFixed(2)),
		retainedMbPer1kUsers: Number((memory.retained / 1e6 / (n / 1000)).toFixed(2)),
		updateSteps: steps,
		targets: { planVsMapDiff: 2, growth2x: 2.1, temporaryMbPer1kUsers: 1 },
	};
	report(`planSync vs a minimal Map diff, ${n} records vs ${n} Plek users, 1% changed (median of 5, wall / CPU)`, {
		'Map diff (ms)': `${result.mapDiffMs} / ${result.cpu.mapDiffMs}`,
		'planSync (ms)': `${result.planMs} / ${result.cpu.planMs}`,
		'planSync / Map diff (target <= 2)': `${result.planVsMapDiff} / ${result.cpu.planVsMapDiff}`,
		[`planSync at ${2 * n} (ms)`]: `${result.planMs2x} / ${result.cpu.planMs2x}`,
		'growth 2x users (target <= 2.1)': `${result.growth2x} / ${result.cpu.growth2x}`,
		'Map diff growth 2x users (context)': `${result.mapDiffGrowth2x} / ${result.cpu.mapDiffGrowth2x}`,
		'temporary MB per 1k users (<= 1)': result.temporaryMbPer1kUsers,
		'retained MB per 1k users (the plan)': result.retainedMbPer1kUsers,
		'update steps planned': steps,
	});
	mkdirSync(join(__dirname, 'results'), { recursive: true });
	writeFileSync(join(__dirname, 'results', 'planner.json'), `${JSON.stringify(result, null, 2)}\n`);
}

if (process.env.PLANNER_BENCH_MEMORY) {
	measureMemory(Number(process.env.PLANNER_BENCH_MEMORY));
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
