// Sync against the API bound (issue 12 item 3, issue 9 targets): the sandbox at 50 requests/s with 40 ms latency,
// Bulk off and on, N users (default 5,000): first sync, 1% changed, unchanged; at concurrency 4 (the default) and 16.
// For each run: requests made vs the minimum (writes + list pages at the server's page size + group list pages),
// 429s, lost writes (failed), and wall / (minimum / rate). The minimum and the bound are computed in this process
// from the same data; results go to stdout and bench/results/sync.json.
// The sandbox runs in a child process of its own (bench/sandboxProcess.ts), so the client's and the server's CPU
// are not one event loop's; the sandbox's CPU time per run is measured too: a single-threaded server needs at least
// that long, so wall >= max(minimum / rate, sandbox CPU), and `boundBy` says which of the two is larger.
// Runs after the first reuse the /ServiceProviderConfig the first one read, as the node does (discoveryCache.ts).
//   BENCH_USERS=n  BENCH_RATE=r  BENCH_LATENCY_MS=ms  BENCH_CONCURRENCY=4,16  BENCH_BULK=off,on
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { syncOnce } from '../core/sync/executor';
import type { SyncResult } from '../core/sync/types';
import type { PlekUserRecord } from '../core/types';
import type { SandboxCounters } from '../sandbox/server';
import { client, people, report, timed } from './common';
import { sandboxProcess, type SandboxProcess } from './sandboxProcess';

const USERS = Number(process.env.BENCH_USERS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '4,16').split(',').map(Number);
const BULK_MODES = (process.env.BENCH_BULK ?? 'off,on').split(',') as Array<'off' | 'on'>;
const PAGE = 1000; // the sandbox's maxResults
const MEMBERS_PER_REQUEST = 100;
const BULK_OPS_PER_REQUEST = 100;

interface Minimum {
	reads: number;
	writes: number;
	total: number;
}

/** Pages of one listing read to its end (transport/paging.ts): a list that fits in one page needs the empty page
 * after it too (its totalResults does not show more than the page), an empty list one page. */
function listingPages(resources: number): number {
	const pages = Math.max(1, Math.ceil(resources / PAGE));
	return resources > 0 && resources <= PAGE ? pages + 1 : pages;
}

/** The fewest requests a run can make: list pages at the server's page size, then the writes it must make. */
function minimum(plekUsers: number, groups: number, userWrites: { patches: number; creates: number }, memberRequests: number, bulk: boolean): Minimum {
	const reads = listingPages(plekUsers) + listingPages(groups);
	const userRequests = bulk
		? Math.ceil(userWrites.patches / BULK_OPS_PER_REQUEST) + Math.ceil(userWrites.creates / BULK_OPS_PER_REQUEST)
		: userWrites.patches + userWrites.creates;
	const writes = userRequests + memberRequests;
	return { reads, writes, total: reads + writes };
}

/** Membership PATCHes needed to put everyone of `records` in their groups (chunks of 100 per group). */
function membershipRequests(records: PlekUserRecord[]): number {
	const perGroup = new Map<string, number>();
	for (const r of records) for (const g of r.groups ?? []) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
	return [...perGroup.values()].reduce((n, members) => n + Math.ceil(members / MEMBERS_PER_REQUEST), 0);
}

function scimRequests(counters: SandboxCounters): { total: number; discovery: number; rateLimited: number } {
	let total = 0;
	let discovery = 0;
	let rateLimited = 0;
	for (const [route, byStatus] of Object.entries(counters.byRoute)) {
		if (!route.includes('/scim/v2')) continue;
		const n = Object.values(byStatus).reduce((a, b) => a + b, 0);
		total += n;
		rateLimited += byStatus['429'] ?? 0;
		if (/ServiceProviderConfig|Schemas|ResourceTypes/.test(route)) discovery += n - (byStatus['429'] ?? 0);
	}
	return { total, discovery, rateLimited };
}

interface RunFigures {
	bulk: 'off' | 'on';
	concurrency: number;
	scenario: 'first sync' | '1% changed' | 'unchanged';
	requests: number;
	minimum: number;
	requestsPerMinimum: number;
	discoveryRequests: number;
	rateLimited: number;
	lostWrites: number;
	wallMs: number;
	boundMs: number;
	wallPerBound: number;
	/** CPU time the sandbox's process spent on this run. */
	sandboxCpuMs: number;
	/** What bounds the run from below: the rate (minimum / rate) or the sandbox's own CPU time, whichever is longer. */
	boundBy: 'rate' | 'sandbox CPU';
	/** wall / max(minimum / rate, sandbox CPU). */
	wallPerTightBound: number;
	/** The machine's 1-minute load average when the run ended (2 cores, shared). */
	load: number;
	converged?: boolean;
}

interface Measured {
	result: SyncResult;
	ms: number;
	counts: ReturnType<typeof scimRequests>;
	counters: SandboxCounters;
	sandboxCpuMs: number;
	discovered: Record<string, unknown> | null | undefined;
}

async function measured(
	box: SandboxProcess,
	records: PlekUserRecord[],
	concurrency: number,
	bulk: 'off' | 'on',
	serviceProviderConfig?: Record<string, unknown> | null,
): Promise<Measured> {
	await box.resetCounters();
	const cpuBefore = await box.cpuMs();
	const plek = client(box, { concurrency, ...(serviceProviderConfig !== undefined ? { serviceProviderConfig } : {}) });
	const { ms, value } = await timed(() => syncOnce(records, plek, { concurrency, useBulk: bulk === 'on' ? 'auto' : 'never' }));
	const sandboxCpuMs = (await box.cpuMs()) - cpuBefore;
	const counters = await box.counters();
	return { result: value, ms, counts: scimRequests(counters), counters, sandboxCpuMs, discovered: await plek.discoveredConfig() };
}

function figures(
	bulk: 'off' | 'on',
	concurrency: number,
	scenario: RunFigures['scenario'],
	run: Measured,
	min: Minimum,
): RunFigures {
	const boundMs = (min.total / RATE) * 1000;
	const tightMs = Math.max(boundMs, run.sandboxCpuMs);
	return {
		bulk,
		concurrency,
		scenario,
		requests: run.counts.total,
		minimum: min.total,
		requestsPerMinimum: run.counts.total / min.total,
		discoveryRequests: run.counts.discovery,
		rateLimited: run.counts.rateLimited,
		lostWrites: run.result.summary.failed,
		wallMs: Math.round(run.ms),
		boundMs: Math.round(boundMs),
		wallPerBound: run.ms / boundMs,
		sandboxCpuMs: Math.round(run.sandboxCpuMs),
		boundBy: run.sandboxCpuMs > boundMs ? 'sandbox CPU' : 'rate',
		wallPerTightBound: run.ms / tightMs,
		load: Math.round(loadavg()[0] * 10) / 10,
	};
}

async function series(bulk: 'off' | 'on', concurrency: number): Promise<RunFigures[]> {
	const box = await sandboxProcess({ latencyMs: LATENCY_MS, bulk: bulk === 'on', seed: 1 });
	try {
		const records = people(USERS);
		const groups = [...new Set(records.flatMap((r) => r.groups ?? []))];
		const setup = client(box);
		for (const name of groups) await setup.createGroup(name);
		await box.setFaults({ requestsPerSecond: RATE });
		const out: RunFigures[] = [];

		const first = await measured(box, records, concurrency, bulk);
		const firstMin = minimum(0, groups.length, { patches: 0, creates: USERS }, membershipRequests(records), bulk === 'on');
		out.push(figures(bulk, concurrency, 'first sync', first, firstMin));

		// 1%: a changed family name for every 100th person (one PATCH each).
		const changed = records.map((r, i) => (i % 100 === 0 ? { ...r, profile: { ...r.profile, 'name.familyName': `${r.profile['name.familyName']}-moved` } } : r));
		const patches = changed.filter((_, i) => i % 100 === 0).length;
		const second = await measured(box, changed, concurrency, bulk, first.discovered);
		out.push(figures(bulk, concurrency, '1% changed', second, minimum(USERS, groups.length, { patches, creates: 0 }, 0, bulk === 'on')));

		const third = await measured(box, changed, concurrency, bulk, first.discovered);
		const unchanged = figures(bulk, concurrency, 'unchanged', third, minimum(USERS, groups.length, { patches: 0, creates: 0 }, 0, bulk === 'on'));
		unchanged.converged = third.counters.writes === 0 && third.result.changes.length === 0;
		out.push(unchanged);
		return out;
	} finally {
		await box.close();
	}
}

async function main() {
	const all: RunFigures[] = [];
	for (const bulk of BULK_MODES) {
		for (const concurrency of CONCURRENCIES) {
			const runs = await series(bulk, concurrency);
			all.push(...runs);
			for (const r of runs) {
				report(`${USERS} users, Bulk ${bulk}, concurrency ${concurrency}: ${r.scenario}`, {
					'requests / minimum': `${r.requests} / ${r.minimum} = ${r.requestsPerMinimum.toFixed(3)}x`,
					'  of which discovery': r.discoveryRequests,
					'429 responses': r.rateLimited,
					'lost writes (failed)': r.lostWrites,
					'wall / bound (minimum / rate)': `${r.wallMs} ms / ${r.boundMs} ms = ${r.wallPerBound.toFixed(3)}x`,
					'sandbox CPU': `${r.sandboxCpuMs} ms (bound by ${r.boundBy})`,
					'wall / max(bound, sandbox CPU)': `${r.wallPerTightBound.toFixed(3)}x`,
					'machine load (1 min)': r.load,
					...(r.converged !== undefined ? { 'unchanged run wrote nothing': String(r.converged) } : {}),
				});
			}
		}
	}
	const first = (bulk: string, c: number) => all.find((r) => r.bulk === bulk && r.concurrency === c && r.scenario === 'first sync');
	const targets = {
		'concurrency 16, Bulk off: zero lost writes': first('off', 16)?.lostWrites === 0,
		'concurrency 16, Bulk off: requests <= 1.05x minimum': (first('off', 16)?.requestsPerMinimum ?? Infinity) <= 1.05,
		'default settings (concurrency 4), Bulk off: wall <= 1.10x bound': (first('off', 4)?.wallPerBound ?? Infinity) <= 1.1,
	};
	report('targets (first sync)', Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, v ? 'met' : 'MISSED'])));
	const dir = join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'sync.json'),
		JSON.stringify({ measuredAt: new Date().toISOString(), users: USERS, ratePerSecond: RATE, latencyMs: LATENCY_MS, pageSize: PAGE, runs: all, targets }, null, 2) + '\n',
	);
	if (all.some((r) => r.converged === false)) throw new Error('an unchanged run wrote something');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
