// The failure circuit breaker (core/sync/breaker.ts) and its hook in the executor, with the fake SCIM directory.
import { BREAKER_WINDOW, CircuitBreaker, dominantFailure, overLimit, stoppedDescription, SyncStoppedError } from '../../core/sync/breaker';
import { executePlan } from '../../core/sync/executor';
import { planSync } from '../../core/sync/planner';
import { DEFAULT_EXECUTE_OPTIONS, type ExecuteOptions, type SyncOptions, type SyncResult } from '../../core/sync/types';
import type { PlekUserRecord, ScimUserDraft } from '../../core/types';
import { group, plekUser, record } from './builders';
import { FakeDirectory, FakeScimError } from './fakeDirectory';

async function plan(dir: FakeDirectory, records: PlekUserRecord[], options: SyncOptions = {}) {
	return planSync(records, { users: await dir.listUsers(), groups: await dir.listGroups() }, options);
}

function people(n: number, prefix = 'p', extra: Partial<PlekUserRecord> = {}) {
	return Array.from({ length: n }, (_, i) => record(`${prefix}${i}`, extra));
}

/** Refuses the create of every person whose number is not a multiple of 5 (80% of them). */
function refuseFourInFive(dir: FakeDirectory, error = () => new FakeScimError(400, 'title is not allowed', 'invalidValue')) {
	dir.fault = (kind, target) => {
		if (kind !== 'createUser') return undefined;
		const n = Number(/\d+$/.exec(String((target as ScimUserDraft).externalId))?.[0]);
		return n % 5 === 0 ? undefined : error();
	};
}

async function stopped(run: Promise<SyncResult>): Promise<SyncResult> {
	const error = await run.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(SyncStoppedError);
	return (error as SyncStoppedError).result;
}

describe('the limit', () => {
	const settings = { failurePercent: 40, minWrites: 20 };
	test('more than the percentage, and only once the minimum number of writes is answered', () => {
		expect(overLimit(20, 8, settings)).toBe(false); // exactly 40% is not more
		expect(overLimit(20, 9, settings)).toBe(true);
		expect(overLimit(19, 19, settings)).toBe(false);
		expect(overLimit(100, 41, settings)).toBe(true);
		expect(overLimit(1000, 1000, { failurePercent: 100, minWrites: 0 })).toBe(false);
		expect(overLimit(1, 1, { failurePercent: 0, minWrites: 0 })).toBe(true);
		expect(overLimit(0, 0, { failurePercent: 0, minWrites: 0 })).toBe(false);
	});

	test('the breaker opens on the write that crosses the limit and stays open', () => {
		const breaker = new CircuitBreaker({ failurePercent: 50, minWrites: 4 });
		for (const outcome of ['failed', 'failed', 'failed'] as const) breaker.record({ outcome, status: 400 });
		expect(breaker.open).toBe(false);
		breaker.record({ outcome: 'updated' });
		expect(breaker.open).toBe(true);
		for (let i = 0; i < 10; i++) breaker.record({ outcome: 'updated' });
		expect(breaker.open).toBe(true);
		expect(breaker.stopped(7)).toMatchObject({ attempted: 14, failed: 3, notAttempted: 7, failuresBy: { 'HTTP 400': 3 } });
	});

	test('the advice follows the most common kind of failure', () => {
		expect(dominantFailure([401, 403, 500])).toBe('credential');
		expect(dominantFailure([503, undefined, 400])).toBe('unavailable');
		expect(dominantFailure([429, 429, 400])).toBe('rateLimit');
		expect(dominantFailure([400, 404, 409, 500])).toBe('refused');
	});

	test('the executor defaults are 40% after 20 writes', () => {
		expect(DEFAULT_EXECUTE_OPTIONS).toMatchObject({ stopFailurePercent: 40, stopMinWrites: 20 });
	});
});

describe('the executor stops writing when most writes fail', () => {
	test('80% of creates refused: stops after the minimum, names everything not attempted, nothing lost', async () => {
		const dir = new FakeDirectory([], [group('Care')]);
		refuseFourInFive(dir);
		const records = people(100, 'p', { groups: ['Care'] });
		const p = await plan(dir, records);
		const result = await stopped(executePlan(p, dir, { concurrency: 4 }));

		const { stopped: info } = result.summary;
		expect(info).toBeDefined();
		// It stops on the 20th answered write; at most the other 3 in flight are answered after it.
		expect(info!.attempted).toBeGreaterThanOrEqual(20);
		expect(info!.attempted).toBeLessThanOrEqual(23);
		expect(dir.writes.filter((w) => w.kind === 'createUser')).toHaveLength(info!.attempted - info!.failed);
		expect(info!.failed * 100).toBeGreaterThan(40 * info!.attempted);
		expect(info!.failuresBy).toEqual({ 'HTTP 400 invalidValue': info!.failed });
		// No membership was written: the memberships phase never started.
		expect(dir.writes.some((w) => w.kind === 'addGroupMembers')).toBe(false);

		expect(result.issues[0]).toMatchObject({ type: 'stopped', action: 'sync', reason: info!.reason });
		expect(result.issues[0].whatToDo).toMatch(/mapping/);
		expect(result.issues[0].whatToDo).not.toMatch(/run again/i);
		const notAttempted = result.issues.filter((i) => i.type === 'notAttempted');
		// Never sent: create and group add not attempted; created or refused: the group add not attempted.
		expect(notAttempted.filter((i) => i.action === 'create+groupAdd Care')).toHaveLength(100 - info!.attempted);
		expect(notAttempted.filter((i) => i.action === 'groupAdd Care')).toHaveLength(info!.attempted);
		expect(notAttempted).toHaveLength(100);
		expect(notAttempted.every((i) => i.userName === `${i.key}@acme.nl`)).toBe(true);
		expect(info!.notAttempted).toBe(200 - info!.attempted);
		expect(result.summary.done.create).toBe(info!.attempted - info!.failed);
		expect(result.summary.done.groupAdd).toBe(0);

		// Every person is accounted for: created, failed (an issue), or not attempted (an issue).
		const created = records.filter((r) => dir.byExternalId(r.key)).map((r) => r.key);
		const failed = result.issues.filter((i) => i.type === 'failed' && i.action === 'create').map((i) => i.key);
		const unsent = notAttempted.filter((i) => i.action.startsWith('create')).map((i) => i.key);
		expect([...created, ...failed, ...unsent].sort()).toEqual(records.map((r) => r.key).sort());
		expect(new Set([...created, ...failed, ...unsent]).size).toBe(100);
		const statuses = new Map(result.changes.map((c) => [c.key, c.status]));
		for (const key of unsent) expect(statuses.get(key)).toBe('notAttempted');
		for (const key of created) expect(statuses.get(key)).toBe('partial'); // created, its groupAdd not attempted

		const description = stoppedDescription(result);
		expect(description).toMatch(/Not attempted \(\d+ people or groups; nothing is lost/);
		expect(description).toContain(String(notAttempted[0].userName));
		expect(description).toMatch(/and \d+ more/);
	});

	test('after the cause is fixed the next run writes exactly what was left, then converges', async () => {
		const dir = new FakeDirectory([], [group('Care')]);
		refuseFourInFive(dir);
		const records = people(60, 'p', { groups: ['Care'] });
		const first = await stopped(executePlan(await plan(dir, records), dir));
		dir.fault = () => undefined;
		const again = await plan(dir, records);
		expect(again.counts.create).toBe(60 - first.summary.done.create);
		expect(again.counts.groupAdd).toBe(60);
		const result = await executePlan(again, dir);
		expect(result.summary.stopped).toBeUndefined();
		expect(result.summary.failed).toBe(0);
		expect(dir.groupMembers('Care')).toHaveLength(60);
		expect((await plan(dir, records)).steps).toEqual([]);
	});

	test('Plek unavailable (5xx) advises running again; a refused credential names the credential', async () => {
		const unavailable = new FakeDirectory();
		unavailable.fault = (kind) => (kind === 'createUser' ? new FakeScimError(503, 'down') : undefined);
		const down = await stopped(executePlan(await plan(unavailable, people(40)), unavailable, { concurrency: 1 }));
		expect(down.summary.stopped).toMatchObject({ attempted: 20, failed: 20, notAttempted: 20, failureKind: 'unavailable' });
		expect(down.summary.stopped!.whatToCheck).toMatch(/run again/);

		const refused = new FakeDirectory([], []);
		refuseFourInFive(refused, () => new FakeScimError(403, 'forbidden'));
		const forbidden = await stopped(executePlan(await plan(refused, people(40)), refused, { concurrency: 1 }));
		expect(forbidden.summary.stopped).toMatchObject({ attempted: 20, failed: 16, failureKind: 'credential' });
		expect(forbidden.summary.stopped!.whatToCheck).toMatch(/Plek credential/);
	});

	test('under the limit the run goes on to the end', async () => {
		const dir = new FakeDirectory();
		dir.fault = (kind, target) =>
			kind === 'createUser' && Number(/\d+$/.exec(String((target as ScimUserDraft).externalId))?.[0]) % 10 < 3 ? new FakeScimError(400, 'no') : undefined;
		const result = await executePlan(await plan(dir, people(100)), dir);
		expect(result.summary.stopped).toBeUndefined();
		expect(result.summary).toMatchObject({ failed: 30, done: { create: 70 } });
		expect(result.issues.some((i) => i.type === 'notAttempted' || i.type === 'stopped')).toBe(false);
	});

	test('options: 100% never stops; a lower minimum stops sooner', async () => {
		const never = new FakeDirectory();
		never.fault = (kind) => (kind === 'createUser' ? new FakeScimError(400, 'no') : undefined);
		const all = await executePlan(await plan(never, people(50)), never, { stopFailurePercent: 100 });
		expect(all.summary.failed).toBe(50);

		const soon = new FakeDirectory();
		soon.fault = (kind) => (kind === 'createUser' ? new FakeScimError(400, 'no') : undefined);
		const options: ExecuteOptions = { stopMinWrites: 5, concurrency: 1 };
		const result = await stopped(executePlan(await plan(soon, people(50)), soon, options));
		expect(result.summary.stopped).toMatchObject({ attempted: 5, failed: 5, notAttempted: 45, minWrites: 5 });
	});

	test('Bulk: no further Bulk request is sent once the breaker is open', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = true;
		dir.fault = (kind) => (kind === 'createUser' ? new FakeScimError(400, 'refused', 'invalidValue') : undefined);
		const result = await stopped(executePlan(await plan(dir, people(100, 'p', { groups: [] })), dir, { bulkOperationsPerRequest: 10, concurrency: 1 }));
		expect(dir.writes.filter((w) => w.kind === 'bulk')).toHaveLength(2);
		expect(result.summary.stopped).toMatchObject({ attempted: 20, failed: 20, notAttempted: 80 });
	});

	test('memberships: the breaker counts each member and stops the remaining chunks and groups', async () => {
		const users = Array.from({ length: 30 }, (_, i) => plekUser(`m${i}`));
		const dir = new FakeDirectory(users, [group('Care'), group('Cure')]);
		dir.fault = (kind) => (kind === 'addGroupMembers' ? new FakeScimError(400, 'member refused', 'invalidValue') : undefined);
		const records = users.map((u) => record(u.externalId as string, { groups: ['Care', 'Cure'] }));
		const result = await stopped(executePlan(await plan(dir, records), dir, { membersPerRequest: 10, concurrency: 1 }));
		// First chunk of Care: the 10-member PATCH, then each member alone (10 failures); second chunk: 10 more -> stop.
		expect(result.summary.stopped).toMatchObject({ attempted: 20, failed: 20, notAttempted: 40 });
		expect(result.issues.filter((i) => i.type === 'notAttempted')).toHaveLength(30);
		expect(result.issues.find((i) => i.type === 'notAttempted' && i.key === 'm29')?.action).toBe('groupAdd Care+groupAdd Cure');
		expect(dir.writes).toEqual([]);
	});

	test('dry run writes nothing, so nothing can trip the breaker', async () => {
		const dir = new FakeDirectory();
		dir.fault = () => new FakeScimError(400, 'no');
		const dry = await executePlan(await plan(dir, people(30)), dir, { dryRun: true });
		expect(dry.summary.stopped).toBeUndefined();
	});
});

describe('the sliding window over the last writes (issue 22)', () => {
	test('after 1,000 successes a burst of failures stops the run within the window, saying which measure tripped', () => {
		const breaker = new CircuitBreaker({ failurePercent: 40, minWrites: 20 });
		for (let i = 0; i < 1000; i++) breaker.record({ outcome: 'created' });
		let burst = 0;
		while (!breaker.open && burst < 1000) {
			breaker.record({ outcome: 'failed', status: 503 });
			burst++;
		}
		expect(BREAKER_WINDOW).toBe(100);
		expect(burst).toBeLessThanOrEqual(BREAKER_WINDOW);
		expect(burst).toBe(41); // 41 of the last 100 is the first share over 40%
		const info = breaker.stopped(5);
		expect(info).toMatchObject({ attempted: 1041, failed: 41, window: { writes: 100, failed: 41 }, failureKind: 'unavailable' });
		expect(info.reason).toBe('Sync stopped writing: 41 of the last 100 writes failed (41%, more than the 40% allowed); 41 of 1041 in the whole run. 1000 succeeded, 5 planned write(s) were not attempted.');
	});

	test('failures spread evenly under the limit never trip the window; the window is never smaller than the minimum', () => {
		const spread = new CircuitBreaker({ failurePercent: 40, minWrites: 20 });
		for (let i = 0; i < 5000; i++) spread.record(i % 10 < 3 ? { outcome: 'failed', status: 400 } : { outcome: 'updated' });
		expect(spread.open).toBe(false);

		const wide = new CircuitBreaker({ failurePercent: 50, minWrites: 300, window: 10 });
		for (let i = 0; i < 1000; i++) wide.record({ outcome: 'updated' });
		for (let i = 0; i < 150; i++) wide.record({ outcome: 'failed', status: 400 });
		expect(wide.open).toBe(false); // 150 of the last 300: not more than 50%
		wide.record({ outcome: 'failed', status: 400 });
		expect(wide.open).toBe(true);
		expect(wide.stopped(0).window).toEqual({ writes: 300, failed: 151 });
	});

	test('100% never stops, window or not; a whole-run trip keeps its message and has no window', () => {
		const never = new CircuitBreaker({ failurePercent: 100, minWrites: 0 });
		for (let i = 0; i < 500; i++) never.record({ outcome: 'failed' });
		expect(never.open).toBe(false);
		const early = new CircuitBreaker({ failurePercent: 40, minWrites: 20 });
		for (let i = 0; i < 20; i++) early.record({ outcome: 'failed', status: 400 });
		expect(early.open).toBe(true);
		expect(early.stopped(0).window).toBeUndefined();
		expect(early.stopped(0).reason).toMatch(/^Sync stopped writing: 20 of 20 writes failed \(100%, more than the 40% allowed once 20 writes are made\)/);
	});

	test('the executor: 1,000 creates succeed, then Plek refuses every write: at most a window of further failures', async () => {
		const dir = new FakeDirectory();
		dir.fault = (kind, target) =>
			kind === 'createUser' && Number(/\d+$/.exec(String((target as ScimUserDraft).externalId))?.[0]) >= 1000 ? new FakeScimError(503, 'down') : undefined;
		const records = people(1600);
		const result = await stopped(executePlan(await plan(dir, records), dir, { concurrency: 1 }));
		const info = result.summary.stopped!;
		expect(result.summary.done.create).toBe(1000);
		expect(info.failed).toBeLessThanOrEqual(BREAKER_WINDOW);
		expect(info).toMatchObject({ failed: 41, attempted: 1041, notAttempted: 1600 - 1041, window: { writes: 100, failed: 41 } });
		expect(result.issues.filter((i) => i.type === 'notAttempted')).toHaveLength(1600 - 1041);
	});
});
