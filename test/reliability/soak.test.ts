/**
 * Fault soak at core level: syncOnce -> the real transport (PlekScimClient over HTTP) -> the real sandbox server,
 * which injects latency, 429 + Retry-After, 500/502/503 and dropped connections (half of the dropped writes applied
 * before the drop). Per seed, Bulk off and Bulk on: three runs under faults with the source changing in between
 * (joiners, leavers inactive and missing, moves, renames, rehires), then a clean run and a run that must write nothing.
 * After every run: no duplicate externalId, userName or group; Plek exact for every person the Issues do not name;
 * a clean run writes only for people the last faulty run's Issues named.
 *
 * Short (default): 3 seeds. PLEK_RELIABILITY_LONG=1: 20 seeds. PLEK_RELIABILITY_SEEDS=1,2,3 picks seeds;
 * PLEK_SOAK_USERS=n changes the population (2,000).
 */
import { syncOnce } from '../../core/sync/executor';
import type { SyncResult } from '../../core/sync/types';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { createStandalonePlekClient } from '../support/standaloneHttp';
import { checkState, faultCounts, SOAK_OPTIONS, World } from './lib/world';
import { recordSoak, soakSeeds } from './lib/soakLog';

const USERS = Number(process.env.PLEK_SOAK_USERS ?? 2000);
const FAULTY_RUNS = 3;
const SANDBOX_RPS = 120;
const FAULTS = { faultRate: 0.1, dropRate: 0.05, latencyMs: { min: 0, max: 4 }, requestsPerSecond: SANDBOX_RPS };

function client(sandbox: RunningSandbox) {
	// No client-side cap: bursts above the sandbox's limit meet 429 + Retry-After. Three attempts: with 15% of
	// requests failing, a few writes per run exhaust them and must be named by the Issues.
	return createStandalonePlekClient(
		{ environmentUrl: sandbox.url, clientId: 'sandbox', clientSecret: 'sandbox-secret', timeoutMs: 10_000 },
		{ concurrency: 8, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 200, membersPerPatch: 500 },
	).client;
}

function notReachedKeys(result: SyncResult): Set<string> {
	return new Set(result.issues.filter((i) => i.type === 'failed' && i.key !== undefined).map((i) => i.key as string));
}

const seeds = soakSeeds(3, 20);

describe.each(seeds.flatMap((seed) => [[seed, 'per-user requests', false] as const, [seed, 'SCIM Bulk', true] as const]))(
	'fault soak seed %i via %s',
	(seed, _label, bulk) => {
		let sandbox: RunningSandbox;
		afterAll(async () => {
			await sandbox?.close();
		});

		test(`${USERS} users: 3 faulty runs with source changes, exact or named; clean run exact; then 0 writes`, async () => {
			const started = Date.now();
			sandbox = await startSandbox({ seed, bulk, maxOperations: 200 });
			const world = new World(seed * 2 + (bulk ? 1 : 0), USERS);
			sandbox.load(world.initialPlek(0.15, 5));
			const unmanaged = sandbox.users().filter((u) => u.externalId === undefined);
			const options = { ...SOAK_OPTIONS, concurrency: 8, useBulk: bulk ? ('auto' as const) : ('never' as const), membersPerRequest: 500 };
			const log = { seed, bulk, runs: [] as unknown[] };

			let notReached = new Set<string>();
			const seen = { total: 0, failing: 0, aborted: 0, rateLimited: 0 };
			for (let run = 1, attempt = 0; run <= FAULTY_RUNS; attempt++) {
				const changes = attempt === run - 1 && run > 1 ? world.change(0.02) : undefined;
				// Runs 2 and 3 (the changes) meet a tight rate limit, so every seed exercises 429 + Retry-After and the
				// client's pace (the first run's volume stays under 120 req/s on a loaded machine).
				const rps = run === 1 ? SANDBOX_RPS : bulk ? 4 : 25;
				sandbox.setFaults({ ...FAULTS, requestsPerSecond: rps, seed: seed * 1000 + attempt + (bulk ? 500 : 0) });
				sandbox.resetCounters();
				const runStarted = Date.now();
				let result: SyncResult;
				try {
					result = await syncOnce(world.source(), client(sandbox), options);
				} catch (error) {
					// A read (discovery, users, groups) that exhausted its attempts (5xx or dropped connections) fails the
					// run closed, before any write.
					expect(sandbox.counters().writes).toBe(0);
					expect(String((error as Error).message)).toMatch(/^(Plek .* on GET \/scim\/v2\/\w+|Cannot reach Plek at .* \(connection closed unexpectedly\))/);
					seen.aborted++;
					log.runs.push({ run, aborted: (error as Error).message, ...faultCounts(sandbox.counters()) });
					if (seen.aborted > 5) throw error;
					continue;
				}
				const faults = faultCounts(sandbox.counters());
				seen.total += faults.total;
				seen.failing += faults.failing;
				seen.rateLimited += faults.rateLimited;
				notReached = notReachedKeys(result);
				// Only write failures: no invalid record, conflict or block in a soak.
				expect(result.issues.filter((i) => i.type !== 'failed')).toEqual([]);
				// Every failed write names a person (or a group whose members are then named too).
				expect(result.issues.filter((i) => i.type === 'failed' && i.key === undefined && i.groupName === undefined)).toEqual([]);
				const state = checkState(sandbox, world, notReached, unmanaged);
				expect(state.duplicates).toEqual([]);
				expect(state.unexplained).toEqual([]);
				log.runs.push({ run, changes, ms: Date.now() - runStarted, ...faults, failedIssues: result.summary.failed, notReached: notReached.size, notReachedDiffering: state.notReachedDiffering.length, alreadyExisted: result.summary.alreadyExisted, done: result.summary.done });
				run++;
			}
			// At least 10% of the requests of the faulty runs failed (429, 5xx or dropped).
			expect(seen.failing / seen.total).toBeGreaterThanOrEqual(0.1);
			expect(seen.rateLimited).toBeGreaterThan(0);

			// Clean: every leftover is written, and only for people the last faulty run named.
			sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: 0, requestsPerSecond: 0 });
			sandbox.resetCounters();
			const clean = await syncOnce(world.source(), client(sandbox), options);
			expect(clean.issues).toEqual([]);
			const cleanState = checkState(sandbox, world, new Set(), unmanaged);
			expect(cleanState.duplicates).toEqual([]);
			expect(cleanState.unexplained).toEqual([]);
			const touched = clean.changes.filter((c) => c.kind === 'user').map((c) => c.key as string);
			expect(touched.filter((key) => !notReached.has(key))).toEqual([]);
			const cleanWrites = sandbox.counters().writes;

			sandbox.resetCounters();
			const zero = await syncOnce(world.source(), client(sandbox), options);
			expect(sandbox.counters().writes).toBe(0);
			expect(zero.changes).toEqual([]);
			expect(zero.issues).toEqual([]);
			recordSoak({ ...log, clean: { writes: cleanWrites, users: touched.length }, users: cleanState.users, ms: Date.now() - started });
		}, 600_000);
	},
);
