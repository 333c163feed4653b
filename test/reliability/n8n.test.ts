/**
 * Real n8n (2.41.1 on Node 24, this package installed as a community package), driven by `n8n execute`:
 * - the hostile and broken input corpus through Mapper and Sync in one run;
 * - one fault-soak seed through n8n (faults, then clean, then zero writes);
 * - SIGKILL of n8n mid-apply, per-user and mid-Bulk: the rerun equals a clean run, the next writes nothing;
 * - two overlapping runs of the same source in two n8n processes: exact, no duplicate, creates counted once
 *   (the other run's alreadyExisted, `overlapped: true`);
 * - secrets: after error runs with a freshly fetched token and a server echoing it, neither the client secret nor
 *   any issued token is in n8n's SQLite database (saved executions, WAL included), its debug log or its output.
 * Needs `npm run build`. Run it alone with `flock /tmp/plek-heavy.lock npx jest -c test/reliability/jest.config.js test/reliability/n8n.test.ts`.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readScimPath } from '../../core/scimPath';
import { startEnvironment, type E2eEnvironment } from '../../scripts/lib/environment';
import { N8nInstance } from '../../scripts/lib/n8n';
import { hostileCorpus } from './lib/corpus';
import { grepUserFolder, lastRun, MAPPER, startExecution, startSource, syncOutputs, syncWorkflow, waitFor, type SourceServer } from './lib/n8nRun';
import { recordSoak } from './lib/soakLog';
import { checkState, faultCounts, World } from './lib/world';

let env: E2eEnvironment;
let source: SourceServer;
let nextId = 1;
const logDir = mkdtempSync(join(tmpdir(), 'plek-reliab-log-'));

beforeAll(async () => {
	env = await startEnvironment({ sandbox: { maxOperations: 200 } });
	source = await startSource();
}, 600_000);

afterAll(async () => {
	await source?.close();
	await env?.close();
	rmSync(logDir, { recursive: true, force: true });
});

/** Imports a Mapper -> Sync workflow with these Sync parameters; returns its id. */
async function workflow(parameters: Record<string, unknown>, continueOnFail = false): Promise<string> {
	const id = `PlekReliab${String(nextId++).padStart(6, '0')}`;
	return await env.n8n.importWorkflow(syncWorkflow(id, source.url, { parameters, continueOnFail }));
}

const syncParameters = (bulk: boolean, extra: Record<string, unknown> = {}) => ({
	deactivateMissing: true,
	guards: { maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0, maxGroupCreates: -1, maxGroupRemovals: -1, maxAdoptions: -1, maxRenames: -1, maxManagerChanges: -1 },
	options: { createMissingGroups: true, removeFromRuleGroups: true, concurrency: 4, useBulk: bulk ? 'auto' : 'never', ...extra },
});

async function execute(id: string, envExtra: NodeJS.ProcessEnv = {}, n8n: N8nInstance = env.n8n) {
	const run = await startExecution(n8n, id, envExtra);
	const result = await run.done;
	const outputs = syncOutputs(result.stdout, result.stderr);
	if (!outputs && process.env.PLEK_RELIABILITY_DUMP) writeFileSync(join(process.env.PLEK_RELIABILITY_DUMP, `${id}-${Date.now()}.out`), `${result.stdout}\n-----\n${result.stderr}`);
	return { ...result, outputs };
}

function expectNoDuplicates(): void {
	const users = env.sandbox.users();
	const ext = users.map((u) => u.externalId).filter((k) => k !== undefined);
	expect(new Set(ext).size).toBe(ext.length);
	const names = users.map((u) => String(u.userName).toLowerCase());
	expect(new Set(names).size).toBe(names.length);
	const groups = env.sandbox.groups().map((g) => String(g.displayName).toLowerCase());
	expect(new Set(groups).size).toBe(groups.length);
}

test('hostile corpus: every bad record reported with its reason, every good record synced exactly, nothing half-written', async () => {
	const corpus = hostileCorpus();
	expect(corpus.length).toBeGreaterThanOrEqual(60);
	env.sandbox.reset();
	env.sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: 0, requestsPerSecond: 0, quirks: {} });
	source.set(corpus.map((c) => c.record));
	const id = await workflow({ options: { createMissingGroups: true } });
	const result = await execute(id);
	expect(result.code).toBe(0);
	expect(result.outputs).toBeDefined();
	const { summary, issues } = result.outputs!;
	const mapperRun = (lastRun(result.stdout) ?? lastRun(result.stderr))!.data.resultData.runData[MAPPER][0].data!.main;
	const mapperInvalid: Array<{ source: unknown; reason: string; field: string }> = (mapperRun[1] ?? []).map((i: { json: any }) => i.json);
	const reportFor = (entry: (typeof corpus)[number]): string | undefined => {
		const asJson = JSON.stringify(entry.record);
		const fromMapper = mapperInvalid.find((m) => JSON.stringify(m.source) === asJson);
		if (fromMapper) {
			expect(typeof fromMapper.field).toBe('string');
			return `${fromMapper.field}: ${fromMapper.reason}`;
		}
		const key = (entry.record as { key?: unknown }).key;
		const fromSync = issues.filter((i) => typeof key === 'string' && i.key === key && ['invalid', 'duplicateKey', 'failed'].includes(i.type));
		return fromSync.length ? fromSync.map((i) => `${i.type}: ${i.reason}`).join('; ') : undefined;
	};

	const users = env.sandbox.users();
	const byKey = new Map(users.map((u) => [u.externalId, u]));
	const problems: string[] = [];
	const allowedGroups = new Set<string>();
	for (const entry of corpus) {
		const record = (entry.as ?? entry.record) as Record<string, any>;
		const report = reportFor(entry);
		if (entry.expect === 'bad') {
			if (!report) problems.push(`${entry.name}: not reported`);
			else if (entry.reason && !entry.reason.test(report)) problems.push(`${entry.name}: reported as "${report.slice(0, 200)}"`);
			const written = users.filter((u) => (typeof record.key === 'string' && u.externalId === record.key) || (entry.userName !== undefined && u.userName === entry.userName));
			if (written.length) problems.push(`${entry.name}: written to Plek`);
			continue;
		}
		if (report) problems.push(`${entry.name}: a good record was reported: ${report.slice(0, 200)}`);
		const user = byKey.get(record.key);
		if (!record.active) {
			if (user) problems.push(`${entry.name}: an inactive leaver was created`);
			continue;
		}
		if (!user) {
			problems.push(`${entry.name}: not in Plek`);
			continue;
		}
		if (user.userName !== record.userName) problems.push(`${entry.name}: userName ${user.userName}`);
		for (const [path, value] of Object.entries(record.profile as Record<string, unknown>)) {
			const actual = readScimPath(user, path);
			const expected = value === null || value === '' ? undefined : typeof value === 'number' ? value : value;
			if (actual !== expected && !(expected === undefined && (actual === undefined || actual === ''))) problems.push(`${entry.name}: ${path} = ${JSON.stringify(actual)?.slice(0, 80)}`);
		}
		for (const g of record.groups ?? []) {
			allowedGroups.add(g);
			const group = env.sandbox.groups().find((x) => x.displayName === g);
			if (!group?.members?.some((m: { value: string }) => m.value === user.id)) problems.push(`${entry.name}: not in group ${g}`);
		}
	}
	// No group a bad record named (the 10,000, the 1 MB name) was created.
	const extraGroups = env.sandbox.groups().filter((g) => !allowedGroups.has(g.displayName));
	expect(extraGroups.map((g) => String(g.displayName).slice(0, 40))).toEqual([]);
	expect(problems).toEqual([]);
	expectNoDuplicates();
	// The only failed writes are those of the record Plek refuses (its create and, following it, its group join).
	const refusedKeys = corpus.filter((c) => c.expect === 'bad' && c.reason?.source.includes('expected value type')).map((c) => (c.record as { key: string }).key);
	expect([...new Set(issues.filter((i) => i.type === 'failed').map((i) => i.key))]).toEqual(refusedKeys);
	expect(summary.failed).toBeGreaterThanOrEqual(1);
	const good = corpus.filter((c) => c.expect === 'good').length;
	recordSoak({ kind: 'hostile', records: corpus.length, good, bad: corpus.length - good, mapperInvalid: mapperInvalid.length, syncIssues: issues.length, users: users.length, ms: result.durationMs });

	// Nothing half-written: the same corpus again writes nothing.
	env.sandbox.resetCounters();
	const again = await execute(id);
	expect(again.code).toBe(0);
	// Only the create Plek refused is tried again (and refused again); nothing else is written.
	expect(env.sandbox.counters().writes).toBe(refusedKeys.length);
	expect(again.outputs?.changes.filter((c) => c.status !== 'failed')).toEqual([]);
});

test('one fault-soak seed through n8n: faults (exact or named), then clean (exact, only the named), then 0 writes', async () => {
	const world = new World(9001, 2000);
	env.sandbox.reset();
	env.sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: 0, requestsPerSecond: 0, quirks: {} });
	env.sandbox.load(world.initialPlek(0.15, 5));
	const unmanaged = env.sandbox.users().filter((u) => u.externalId === undefined);
	source.set(world.source());
	const id = await workflow(syncParameters(true, { concurrency: 8 }));
	env.sandbox.setFaults({ faultRate: 0.1, dropRate: 0.05, latencyMs: { min: 0, max: 4 }, requestsPerSecond: 150, seed: 9001 });
	env.sandbox.resetCounters();
	const faulty = await execute(id);
	const faults = faultCounts(env.sandbox.counters());
	expect(faults.failingShare).toBeGreaterThanOrEqual(0.1);
	let notReached = new Set<string>();
	if (faulty.outputs) {
		expect(faulty.outputs.issues.filter((i) => i.type !== 'failed')).toEqual([]);
		notReached = new Set(faulty.outputs.issues.filter((i) => i.key !== undefined).map((i) => i.key));
		const state = checkState(env.sandbox, world, notReached, unmanaged);
		expect(state.duplicates).toEqual([]);
		expect(state.unexplained).toEqual([]);
	} else {
		// A read that exhausted its retries fails the run closed, before any write.
		expect(faults.writes).toBe(0);
	}

	env.sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: 0, requestsPerSecond: 0 });
	const clean = await execute(id);
	expect(clean.outputs?.issues).toEqual([]);
	const state = checkState(env.sandbox, world, new Set(), unmanaged);
	expect(state.duplicates).toEqual([]);
	expect(state.unexplained).toEqual([]);
	if (faulty.outputs) {
		const touched = clean.outputs!.changes.filter((c) => c.kind === 'user').map((c) => c.key);
		expect(touched.filter((k) => !notReached.has(k))).toEqual([]);
	}
	env.sandbox.resetCounters();
	const zero = await execute(id);
	expect(zero.outputs?.changes).toEqual([]);
	expect(env.sandbox.counters().writes).toBe(0);
	recordSoak({ kind: 'n8n-soak', seed: 9001, faults, faultyMs: faulty.durationMs, failed: faulty.outputs?.summary.failed, notReached: notReached.size, cleanMs: clean.durationMs, cleanWrites: clean.outputs?.summary.done, zeroMs: zero.durationMs });
});

describe.each([
	['per-user requests', false],
	['SCIM Bulk', true],
])('SIGKILL of n8n mid-apply (%s)', (_label, bulk) => {
	test('the rerun ends exact (as a clean run would), without duplicates; the run after writes nothing', async () => {
		const world = new World(bulk ? 7002 : 7001, 2000);
		env.sandbox.reset();
		env.sandbox.load(world.initialPlek(0.15, 5));
		const unmanaged = env.sandbox.users().filter((u) => u.externalId === undefined);
		// Latency stretches the apply so the kill lands in the middle of it.
		env.sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: { min: 2, max: 6 }, requestsPerSecond: 0, quirks: {} });
		source.set(world.source());
		const id = await workflow(syncParameters(bulk));
		env.sandbox.resetCounters();
		const run = await startExecution(env.n8n, id);
		const killAt = 400;
		const reached = await waitFor(() => env.sandbox.counters().writes >= killAt, 240_000);
		run.kill();
		const killed = await run.done;
		expect(reached).toBe(true);
		expect(killed.signal).toBe('SIGKILL');
		const writesAtKill = env.sandbox.counters().writes;
		// Mid-apply: some, not all, of the ~1,700 creates were made.
		expect(writesAtKill).toBeLessThan(1700);
		expectNoDuplicates();

		env.sandbox.setFaults({ latencyMs: 0 });
		env.sandbox.resetCounters();
		const rerun = await execute(id);
		expect(rerun.code).toBe(0);
		expect(rerun.outputs?.issues).toEqual([]);
		const state = checkState(env.sandbox, world, new Set(), unmanaged);
		expect(state.duplicates).toEqual([]);
		expect(state.unexplained).toEqual([]);
		// The rerun created only what the killed run had not.
		const created = rerun.outputs!.summary.done.create + rerun.outputs!.summary.alreadyExisted;
		expect(created).toBeLessThan(1700);

		env.sandbox.resetCounters();
		const zero = await execute(id);
		expect(zero.outputs?.changes).toEqual([]);
		expect(env.sandbox.counters().writes).toBe(0);
		recordSoak({ kind: 'sigkill', bulk, writesAtKill, killedAfterMs: killed.durationMs, rerunDone: rerun.outputs!.summary.done, rerunRequests: rerun.outputs!.summary.requests, rerunMs: rerun.durationMs });
	});
});

test('two overlapping runs of the same source (two n8n processes): exact, no duplicate, each create counted once', async () => {
	const world = new World(7003, 1000);
	env.sandbox.reset();
	env.sandbox.load(world.initialPlek(0.1, 3));
	const unmanaged = env.sandbox.users().filter((u) => u.externalId === undefined);
	// 40-60 ms per request: each run's 900 creates take longer than the two n8n start-ups differ, so they overlap.
	env.sandbox.setFaults({ faultRate: 0, dropRate: 0, latencyMs: { min: 40, max: 60 }, requestsPerSecond: 0, quirks: {} });
	source.set(world.source());
	const id = await workflow(syncParameters(false));
	// A second n8n process with its own user folder (SQLite allows one writer): the same package, credential and
	// workflow, as a second n8n instance (or a worker) of the same customer would have.
	const secondFolder = mkdtempSync(join(tmpdir(), 'plek-reliab-n8n2-'));
	cpSync(env.n8n.userFolder, secondFolder, { recursive: true });
	const second = N8nInstance.create(env.runtime, { userFolder: secondFolder, encryptionKey: env.n8n.encryptionKey });
	env.sandbox.resetCounters();
	const [a, b] = await Promise.all([execute(id), execute(id, {}, second)]);
	second.cleanup();
	if (a.code !== 0 || b.code !== 0) console.error(a.stderr.slice(-2000), b.stderr.slice(-2000), a.stdout.slice(-2000), b.stdout.slice(-2000));
	expect([a.code, b.code]).toEqual([0, 0]);
	const state = checkState(env.sandbox, world, new Set(), unmanaged);
	expect(state.duplicates).toEqual([]);
	expect(state.unexplained).toEqual([]);
	const toCreate = world.people.filter((p) => p.active).length - 100;
	const sa = a.outputs!.summary;
	const sb = b.outputs!.summary;
	// Every person was created once, by one of the two runs; the other counted it alreadyExisted, not created.
	expect(sa.done.create + sb.done.create).toBe(toCreate);
	expect(sa.alreadyExisted + sb.alreadyExisted).toBeGreaterThan(0);
	// alreadyExisted counts groups too (both runs may create the same group): the users' part of it.
	const usersAlready = (s: typeof sa) => s.alreadyExisted - (s.planned.groupCreate - s.done.groupCreate);
	expect(sa.done.create + usersAlready(sa)).toBe(sa.planned.create);
	expect(sb.done.create + usersAlready(sb)).toBe(sb.planned.create);
	expect(usersAlready(sa) + usersAlready(sb)).toBeGreaterThan(0);
	expect([sa.overlapped, sb.overlapped]).toContain(true);
	expect(sa.overlapped).toBe(sa.alreadyExisted > 0);
	expect(a.outputs!.issues.filter((i) => i.type === 'failed')).toEqual([]);
	expect(b.outputs!.issues.filter((i) => i.type === 'failed')).toEqual([]);
	recordSoak({ kind: 'overlap', toCreate, a: { created: sa.done.create, alreadyExisted: sa.alreadyExisted, ms: a.durationMs }, b: { created: sb.done.create, alreadyExisted: sb.alreadyExisted, ms: b.durationMs } });

	env.sandbox.setFaults({ latencyMs: 0 });
	env.sandbox.resetCounters();
	const zero = await execute(id);
	expect(zero.outputs?.changes).toEqual([]);
	expect(env.sandbox.counters().writes).toBe(0);
});

test('secrets: error runs with a fresh token and a server echoing it leave neither secret nor token in n8n\'s database, debug log or output', async () => {
	env.sandbox.reset();
	source.set(Array.from({ length: 5 }, (_, i) => ({ key: `sec-${i}`, userName: `sec${i}@acme.nl`, active: true, profile: { 'name.givenName': `S${i}` } })));
	env.sandbox.setFaults({ faultRate: 1, dropRate: 0, latencyMs: 0, requestsPerSecond: 0, quirks: { echoTokenInErrors: true } });
	const logFile = join(logDir, 'n8n-debug.log');
	const debug = { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file', N8N_LOG_FILE_LOCATION: logFile };
	const tokensBefore = new Set(env.sandbox.issuedTokens());
	// 1: the Sync fails (every SCIM request answers 5xx echoing the token): a failed execution with the node error.
	const failing = await execute(await workflow({ options: { concurrency: 1 } }), debug);
	expect(failing.code).not.toBe(0);
	// 2: the same with Continue On Fail: the error becomes an item of a successful execution.
	const continued = await execute(await workflow({ options: { concurrency: 1 } }, true), debug);
	if (!continued.outputs?.summary?.error) console.error(continued.code, continued.stdout.slice(-3000), continued.stderr.slice(-3000));
	expect(continued.outputs?.summary.error).toMatch(/server error|5\d\d/i);
	env.sandbox.setFaults({ faultRate: 0, quirks: {} });

	// n8n keeps the credential's token (encrypted, in the credentials table) between executions, so these runs may
	// reuse one fetched earlier: every token the sandbox ever issued is looked for.
	const fresh = env.sandbox.issuedTokens();
	expect(fresh.length).toBeGreaterThanOrEqual(1);
	expect(tokensBefore.size + 2).toBeGreaterThanOrEqual(fresh.length);
	const needles: Record<string, string> = { clientSecret: env.sandbox.options.clientSecret };
	fresh.forEach((t, i) => (needles[`token${i}`] = t));
	const { hits, files } = grepUserFolder(env.n8n.userFolder, needles, [logFile]);
	// The grep looked where the executions are: the database holds the saved failure, the log holds debug lines.
	const { hits: controls } = grepUserFolder(env.n8n.userFolder, { savedError: 'Injected fault', logged: 'Plek' }, [logFile]);
	expect(controls.some((h) => h.startsWith('savedError') && /database\.sqlite/.test(h))).toBe(true);
	expect(controls.some((h) => h.includes(logFile))).toBe(true);
	expect(hits).toEqual([]);
	for (const output of [failing.stdout, failing.stderr, continued.stdout, continued.stderr]) {
		for (const [name, value] of Object.entries(needles)) expect([name, output.includes(value)]).toEqual([name, false]);
	}
	recordSoak({ kind: 'secrets', tokens: fresh.length, files: files.length, hits: hits.length });
});
