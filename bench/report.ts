// Turns bench/results/*.json into one Markdown table per benchmark, each figure with its baseline, ratio and target.
//   node --import tsx bench/report.ts [out.md]     (without out.md: prints it)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, 'results');

/* The result files' shapes, as the benchmarks write them. */
interface MapperResult {
	records: number;
	rounds: number;
	adTemplate: {
		rules: { fast: number; total: number };
		recordsPerSecond: Record<'node' | 'plainJsonata' | 'handWritten' | 'compilePerRecord', number>;
		nodeVsPlainJsonata: number;
		handWrittenVsNode: number;
		nodeVsCompilePerRecord: number;
		compilePerRecordSample: number;
	};
	noFastPath: { rules: { total: number }; recordsPerSecond: Record<'node' | 'plainJsonata', number>; nodeTimePerPlainJsonata: number };
}
interface PlannerResult {
	users: number;
	mapDiffMs: number;
	planMs: number;
	planVsMapDiff: number;
	planMs2x: number;
	growth2x: number;
	temporaryMbPer1kUsers: number;
	retainedMbPer1kUsers: number;
	cpu?: Pick<PlannerResult, 'mapDiffMs' | 'planMs' | 'planVsMapDiff' | 'planMs2x' | 'growth2x'>;
}
interface CompareResult {
	n8nNodesBase: string;
	rows: Array<Record<'users' | 'mapDiffMs' | 'planSyncMs' | 'compareDatasetsMs' | 'compareDatasetsVsMapDiff' | 'compareDatasetsVsPlanSync', number>>;
	growth: { from: number; to: number; mapDiff?: number; planSync?: number; compareDatasets?: number };
}
interface SyncRun {
	bulk: string;
	concurrency: number;
	scenario: string;
	requests: number;
	minimum: number;
	requestsPerMinimum: number;
	rateLimited: number;
	lostWrites: number;
	wallMs: number;
	boundMs: number;
	wallPerBound: number;
	/** CPU time of the sandbox's own process during the run (absent in results from before it had one). */
	sandboxCpuMs?: number;
	boundBy?: string;
	wallPerTightBound?: number;
	/** 1-minute load average of the machine when the run ended. */
	load?: number;
}
interface SyncResult {
	measuredAt?: string;
	/** Set when the runs come from more than one measurement (says which). */
	note?: string;
	users: number;
	ratePerSecond: number;
	latencyMs: number;
	runs: SyncRun[];
}
interface MemoryResult {
	note?: string;
	n8n: string;
	rows: Array<Record<string, number>>;
}

function read<T>(name: string): T | undefined {
	const file = join(dir, `${name}.json`);
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

const verdict = (met: boolean) => (met ? 'met' : '**missed**');
const n = (value: number) => value.toLocaleString('en-US');
const table = (header: string[], rows: Array<Array<string | number>>) =>
	[`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function mapper(r: MapperResult): string {
	const a = r.adTemplate;
	return [
		`## Mapping: ${n(r.records)} AD entries, the AD template's rules (${a.rules.total} expressions, ${a.rules.fast} on the fast path)`,
		'`bench/mapper.bench.ts`, the node and its baselines bundled by esbuild as the package ships; records/s from the median CPU time of ' +
			`${r.rounds} interleaved rounds.`,
		'',
		table(
			['implementation', 'records/s', 'vs the node'],
			[
				['Plek Mapper node (execute)', n(a.recordsPerSecond.node), '1x'],
				['plain jsonata, compiled once', n(a.recordsPerSecond.plainJsonata), `node ${a.nodeVsPlainJsonata}x faster (target >= 3x: ${verdict(a.nodeVsPlainJsonata >= 3)})`],
				['hand-written JavaScript (the floor)', n(a.recordsPerSecond.handWritten), `node takes ${a.handWrittenVsNode}x its time`],
				[`jsonata compiled per record (${n(a.compilePerRecordSample)} scaled)`, n(a.recordsPerSecond.compilePerRecord), `node ${a.nodeVsCompilePerRecord}x faster`],
			],
		),
		'',
		`Every rule outside the fast path (${r.noFastPath.rules.total} expressions): node ${n(r.noFastPath.recordsPerSecond.node)} records/s, plain jsonata ` +
			`${n(r.noFastPath.recordsPerSecond.plainJsonata)} records/s: node time ${r.noFastPath.nodeTimePerPlainJsonata}x (target <= 1.2x: ` +
			`${verdict(r.noFastPath.nodeTimePerPlainJsonata <= 1.2)}).`,
	].join('\n');
}

/** "wall / cpu", or the wall figure alone when the result has no CPU time. */
const both = (wall: string | number, cpu: string | number | undefined) => (cpu === undefined ? String(wall) : `${wall} / ${cpu}`);

function planner(r: PlannerResult, c?: CompareResult): string {
	const lines = [
		`## Planning: ${n(r.users)} records vs ${n(r.users)} Plek users, 1% changed`,
		'`bench/planner.bench.ts` (planner and Map diff bundled as shipped; wall / CPU time, median of 5 interleaved rounds; the target is judged on wall time) and `bench/compare-datasets.bench.ts` (CPU time, median of 3).',
		'',
		table(
			['figure', 'value (wall / CPU)', 'target'],
			[
				['Map diff (ms)', both(r.mapDiffMs, r.cpu?.mapDiffMs), ''],
				['planSync (ms)', both(r.planMs, r.cpu?.planMs), ''],
				['planSync / Map diff', both(`${r.planVsMapDiff}x`, r.cpu && `${r.cpu.planVsMapDiff}x`), `<= 2: ${verdict(r.planVsMapDiff <= 2)}`],
				[`planSync at ${n(2 * r.users)} (ms)`, both(r.planMs2x, r.cpu?.planMs2x), ''],
				['growth for 2x users', both(`${r.growth2x}x`, r.cpu && `${r.cpu.growth2x}x`), `<= 2.1: ${verdict(r.growth2x <= 2.1)}`],
				['temporary MB per 1,000 users', r.temporaryMbPer1kUsers, `<= 1: ${verdict(r.temporaryMbPer1kUsers <= 1)}`],
				['retained MB per 1,000 users (the plan)', r.retainedMbPer1kUsers, ''],
			],
		),
	];
	if (c) {
		lines.push(
			'',
			`n8n's Compare Datasets matching (n8n-nodes-base ${c.n8nNodesBase}) on the same kind of data:`,
			'',
			table(
				['users', 'Map diff (ms)', 'planSync (ms)', 'Compare Datasets (ms)', 'Compare Datasets / Map diff', 'Compare Datasets / planSync'],
				c.rows.map((row) => [n(row.users), row.mapDiffMs, row.planSyncMs, row.compareDatasetsMs, `${row.compareDatasetsVsMapDiff}x`, `${row.compareDatasetsVsPlanSync}x`]),
			),
		);
		if (c.growth.compareDatasets !== undefined) {
			lines.push(
				'',
				`Growth from ${n(c.growth.from)} to ${n(c.growth.to)} users (linear: ${c.growth.to / c.growth.from}x): Map diff ${c.growth.mapDiff}x, ` +
					`planSync ${c.growth.planSync}x, Compare Datasets ${c.growth.compareDatasets}x.`,
			);
		}
	}
	return lines.join('\n');
}

function sync(r: SyncResult): string {
	const first = (bulk: string, c: number) => r.runs.find((x) => x.bulk === bulk && x.concurrency === c && x.scenario === 'first sync');
	const c16 = first('off', 16);
	const c4 = first('off', 4);
	const targets = [
		c16 ? `concurrency 16, Bulk off: lost writes ${c16.lostWrites} (target 0: ${verdict(c16.lostWrites === 0)}), requests ${c16.requestsPerMinimum.toFixed(3)}x the minimum (target <= 1.05x: ${verdict(c16.requestsPerMinimum <= 1.05)})` : '',
		c4 ? `default settings (concurrency 4), Bulk off: wall ${c4.wallPerBound.toFixed(2)}x the bound (target <= 1.10x: ${verdict(c4.wallPerBound <= 1.1)})` : '',
	].filter(Boolean);
	const cpu = r.runs.every((x) => x.sandboxCpuMs !== undefined);
	const cpuColumns = (x: SyncRun) =>
		cpu ? [((x.sandboxCpuMs ?? 0) / 1000).toFixed(1), x.boundBy ?? '', `${(x.wallPerTightBound ?? 0).toFixed(2)}x`, x.load ?? ''] : [];
	return [
		`## Sync against the API bound: ${n(r.users)} users, ${r.ratePerSecond} requests/s, ${r.latencyMs} ms latency`,
		'`bench/sync.bench.ts`; bound = minimum requests / rate.' +
			(cpu
				? ' The sandbox runs in its own process; its CPU time per run is a second lower bound (one event loop serves every request), so ' +
					'"bound by" names the larger of the two and the last ratio is wall / max(bound, sandbox CPU). The targets are judged on wall / bound.' +
					(r.measuredAt ? ` Measured ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC; load is the machine's 1-minute load average (2 cores, shared).` : '')
				: '') +
			(r.note ? ` ${r.note}` : ''),
		'',
		table(
			[
				'Bulk', 'concurrency', 'run', 'requests', 'minimum', 'ratio', '429s', 'lost writes', 'wall (s)', 'bound (s)', 'wall / bound',
				...(cpu ? ['sandbox CPU (s)', 'bound by', 'wall / max(bound, CPU)', 'load'] : []),
			],
			r.runs.map((x) => [
				x.bulk,
				x.concurrency,
				x.scenario,
				n(x.requests),
				n(x.minimum),
				`${x.requestsPerMinimum.toFixed(3)}x`,
				x.rateLimited,
				x.lostWrites,
				(x.wallMs / 1000).toFixed(1),
				(x.boundMs / 1000).toFixed(1),
				`${x.wallPerBound.toFixed(2)}x`,
				...cpuColumns(x),
			]),
		),
		'',
		...targets.map((t) => `- ${t}`),
	].join('\n');
}

function memory(r: MemoryResult): string {
	const modes = ['dryRun', 'apply'].filter((m) => r.rows.some((row) => row[`${m}Mb`] !== undefined));
	return [
		`## Memory: peak RSS of \`n8n execute\` (n8n ${r.n8n})`,
		'`bench/memory.bench.ts`; Code (N AD-shaped items) -> Plek Mapper -> Plek Sync against Code -> Set -> No Operation, same run.' +
			(r.note ? ` ${r.note}` : ''),
		'',
		table(
			['users', 'load', 'baseline (MB)', ...modes.flatMap((m) => [`${m} (MB)`, `${m}: MB per 1,000 over baseline`])],
			r.rows.map((row) => [
				n(row.users),
				row.loadAtStart ?? '',
				row.baselineMb,
				...modes.flatMap((m) => [row[`${m}Mb`] ?? '', row[`${m}MbPer1kOverBaseline`] === undefined ? '' : `${row[`${m}MbPer1kOverBaseline`]} (<= 5: ${verdict(row[`${m}MbPer1kOverBaseline`] <= 5)})`]),
			]),
		),
	].join('\n');
}

function main() {
	const sections = ['# Benchmark results', '', 'Written by `npm run bench` (bench/run-all.sh) from bench/results/*.json.'];
	const m = read<MapperResult>('mapper');
	if (m) sections.push('', mapper(m));
	const p = read<PlannerResult>('planner');
	if (p) sections.push('', planner(p, read<CompareResult>('compare-datasets')));
	const s = read<SyncResult>('sync');
	if (s) sections.push('', sync(s));
	const mem = read<MemoryResult>('memory');
	if (mem) sections.push('', memory(mem));
	else sections.push('', '## Memory through real n8n', '', 'No bench/results/memory.json: not measured in this run (`BENCH_ONLY=memory npm run bench`).');
	const markdown = `${sections.join('\n')}\n`;
	const out = process.argv[2];
	if (out) writeFileSync(out, markdown);
	else process.stdout.write(markdown);
}

main();
