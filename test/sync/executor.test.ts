import { executePlan, SyncBlockedError, syncOnce } from '../../core/sync/executor';
import { planSync } from '../../core/sync/planner';
import type { SyncOptions } from '../../core/sync/types';
import type { PlekUserRecord, ScimUserDraft } from '../../core/types';
import { ENT, group, plekUser, record, WORK_EMAIL } from './builders';
import { FakeDirectory, FakeScimError } from './fakeDirectory';

async function plan(dir: FakeDirectory, records: PlekUserRecord[], options: SyncOptions = {}) {
	return planSync(records, { users: await dir.listUsers(), groups: await dir.listGroups() }, options);
}

function people(n: number, prefix = 'p', extra: Partial<PlekUserRecord> = {}) {
	return Array.from({ length: n }, (_, i) => record(`${prefix}${i}`, extra));
}

describe('apply, then plan again', () => {
	test('a mixed plan converges: the second plan has zero steps', async () => {
		const changed = plekUser('changed', { title: 'Old', [ENT]: { department: 'X' }, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT] });
		const leaver = plekUser('leaver');
		const returning = plekUser('returning', { active: false });
		const unmanaged = plekUser(undefined, { userName: 'adoptme@acme.nl', emails: [] });
		const moved = plekUser('moved');
		const dir = new FakeDirectory(
			[changed, leaver, returning, unmanaged, moved, ...Array.from({ length: 20 }, (_, i) => plekUser(`s${i}`))],
			[group('Care', [moved]), group('Cure')],
		);
		// Managed Groups hands Care and Cure over (issue 22: being named in a record no longer makes a group managed).
		const options: SyncOptions = { adoptUnmanaged: 'userName', clearEmptyValues: true, removeFromRuleGroups: true, createMissingGroups: true, maxDeactivationPercent: 50, managedGroups: ['Care', 'Cure'] };
		const records = [
			record('new1', { groups: ['Care', 'Brand new'], profile: { 'name.givenName': 'N', [WORK_EMAIL]: 'new1@acme.nl', 'addresses[type eq "work"].locality': 'Utrecht', [`${ENT}:department`]: 'Care' } }),
			record('changed', { profile: { 'name.givenName': 'Given changed', [WORK_EMAIL]: 'changed@work.nl', title: '', 'phoneNumbers[type eq "mobile"].value': '06', [`${ENT}:department`]: 'Y' } }),
			record('leaver', { active: false }),
			record('returning'),
			record('adopted', { userName: 'adoptme@acme.nl', groups: ['Cure'] }),
			record('moved', { groups: ['Cure'] }),
			...Array.from({ length: 20 }, (_, i) => record(`s${i}`)),
		];
		const first = await plan(dir, records, options);
		expect(first.blocked).toBeUndefined();
		expect(first.counts).toMatchObject({ create: 1, update: 1, deactivate: 1, reactivate: 1, adopt: 1, groupCreate: 1, groupRemove: 1 });
		const result = await executePlan(first, dir);
		expect(result.issues).toEqual([]);
		expect(result.summary.failed).toBe(0);
		expect(result.summary.done).toEqual(result.summary.planned);
		expect(result.changes.every((c) => c.status === 'done')).toBe(true);
		expect(result.changes.find((c) => c.key === 'new1')?.userId).toBe(dir.byExternalId('new1')?.id);

		const second = await plan(dir, records, options);
		expect(second.steps).toEqual([]);
		expect(dir.byExternalId('changed')).toMatchObject({ emails: [{ type: 'work', value: 'changed@work.nl' }], phoneNumbers: [{ type: 'mobile', value: '06' }], [ENT]: { department: 'Y' } });
		expect(dir.byExternalId('changed')?.title).toBeUndefined();
		expect(dir.byExternalId('adopted')?.id).toBe(unmanaged.id);
		expect(dir.groupMembers('Brand new')).toEqual(['new1']);
		expect(dir.groupMembers('Care')).toEqual(['new1']);
		expect(dir.groupMembers('Cure')).toEqual(['adopted', 'moved']);
	});

	test('a user needing update and reactivation gets one PATCH', async () => {
		const dir = new FakeDirectory([plekUser('k1', { active: false })]);
		await executePlan(await plan(dir, [record('k1', { profile: { title: 'T' } })]), dir);
		expect(dir.writes).toEqual([{ kind: 'patchUser', target: dir.byExternalId('k1')?.id }]);
		expect(dir.byExternalId('k1')).toMatchObject({ active: true, title: 'T' });
	});
});

describe('executor safety', () => {
	test('bounded concurrency is respected', async () => {
		const dir = new FakeDirectory();
		dir.latencyTurns = 3;
		const result = await executePlan(await plan(dir, people(40)), dir, { concurrency: 3 });
		expect(result.summary.done.create).toBe(40);
		expect(dir.maxInFlight).toBe(3);
	});

	test('one failing user does not stop the others', async () => {
		const dir = new FakeDirectory([plekUser('u0'), plekUser('u1')], [group('Care')]);
		dir.fault = (kind, target) => {
			if (kind === 'createUser' && (target as ScimUserDraft).externalId === 'p3') return new FakeScimError(400, 'bad title', 'invalidValue');
			if (kind === 'patchUser' && target === dir.byExternalId('u0')?.id) return new FakeScimError(403, 'forbidden');
			return undefined;
		};
		const records = [...people(10, 'p', { groups: ['Care'] }), record('u0', { profile: { title: 'x' } }), record('u1', { profile: { title: 'y' } })];
		const result = await executePlan(await plan(dir, records), dir);
		expect(result.summary.done).toMatchObject({ create: 9, update: 1, groupAdd: 9 });
		expect(result.summary.failed).toBe(3);
		expect(result.issues).toEqual([
			expect.objectContaining({ type: 'failed', key: 'u0', action: 'update', status: 403, whatToDo: expect.stringMatching(/credential/) }),
			expect.objectContaining({ type: 'failed', key: 'p3', action: 'create', status: 400, scimType: 'invalidValue', reason: 'create failed (HTTP 400, invalidValue): bad title' }),
			expect.objectContaining({ type: 'failed', key: 'p3', action: 'groupAdd', reason: expect.stringMatching(/user was not created/) }),
		]);
		expect(result.changes.find((c) => c.key === 'p3')).toMatchObject({ status: 'failed', error: expect.stringMatching(/bad title/) });
		expect(dir.groupMembers('Care')).toHaveLength(9);
	});

	test('a group add waiting for a create Plek refused with 409 gives the create\'s advice, never "run again" (issue 24)', async () => {
		const dir = new FakeDirectory([], [group('Care')]);
		dir.fault = (kind, target) => (kind === 'createUser' && (target as ScimUserDraft).externalId === 'p1' ? new FakeScimError(409, 'userName p1@acme.nl exists', 'uniqueness') : undefined);
		const result = await executePlan(await plan(dir, [record('p1', { groups: ['Care'] }), record('p2', { groups: ['Care'] })]), dir);
		const create = result.issues.find((i) => i.key === 'p1' && i.action === 'create');
		const follow = result.issues.find((i) => i.key === 'p1' && i.action === 'groupAdd');
		expect(create).toMatchObject({ status: 409, whatToDo: expect.stringMatching(/Another Plek account already has this userName or externalId/) });
		expect(follow?.reason).toMatch(/user was not created, so it cannot join the group/);
		expect(follow?.whatToDo).toMatch(/^This waited for the create of this person, which did not succeed; fix that first \(its own Issue\): Another Plek account already has this userName or externalId/);
		expect(follow?.whatToDo).not.toMatch(/run (the sync )?again/i);
		expect(dir.groupMembers('Care')).toHaveLength(1);
	});

	test('a write waiting for a create that failed on a 5xx keeps that failure\'s advice', async () => {
		const dir = new FakeDirectory([], [group('Care')]);
		dir.fault = (kind, target) => (kind === 'createUser' && (target as ScimUserDraft).externalId === 'p1' ? 'fail' : undefined);
		const result = await executePlan(await plan(dir, [record('p1', { groups: ['Care'] })]), dir);
		expect(result.issues.find((i) => i.action === 'groupAdd')?.whatToDo).toMatch(/fix that first \(its own Issue\): Plek was unavailable/);
	});

	test('an account whose adoption failed gets no group changes (it is still unmanaged)', async () => {
		const unmanaged = plekUser(undefined, { userName: 'k1@acme.nl' });
		const dir = new FakeDirectory([unmanaged], [group('Care')]);
		dir.fault = (kind) => (kind === 'patchUser' ? new FakeScimError(400, 'externalId refused') : undefined);
		const result = await executePlan(await plan(dir, [record('k1', { groups: ['Care'] })], { adoptUnmanaged: 'userName' }), dir);
		expect(result.issues.map((i) => [i.action, i.reason])).toEqual([
			['adopt', 'adopt failed (HTTP 400): externalId refused'],
			['groupAdd', 'groupAdd failed: the account was not adopted, and an unmanaged account is never changed'],
		]);
		expect(dir.groupMembers('Care')).toEqual([]);
		expect(result.changes[0]).toMatchObject({ key: 'k1', status: 'failed' });
	});

	test('dry run makes zero writes and echoes the plan', async () => {
		const dir = new FakeDirectory([plekUser('k1')]);
		const p = await plan(dir, [record('k1', { profile: { title: 'x' } }), record('k2')]);
		const before = dir.requests;
		const result = await executePlan(p, dir, { dryRun: true });
		expect(dir.requests).toBe(before);
		expect(dir.writeCount()).toBe(0);
		expect(result.summary).toMatchObject({ dryRun: true, planned: { create: 1, update: 1 }, done: { create: 0, update: 0 }, requests: 0 });
		expect(result.changes).toEqual([
			expect.objectContaining({ key: 'k1', status: 'planned', attributes: [{ path: 'title', before: undefined, after: 'x' }] }),
			expect.objectContaining({ key: 'k2', status: 'planned', actions: ['create'] }),
		]);
	});

	test('a blocked plan makes zero writes: throws, or returns the plan in dry run', async () => {
		const users = Array.from({ length: 100 }, (_, i) => plekUser(`m${i}`));
		const dir = new FakeDirectory(users);
		const records = users.map((u, i) => record(u.externalId as string, { active: i >= 30 }));
		records.push(record('newcomer'));
		const p = await plan(dir, records);
		expect(p.blocked).toBeDefined();
		const before = dir.requests;
		await expect(executePlan(p, dir)).rejects.toThrow(SyncBlockedError);
		await expect(executePlan(p, dir)).rejects.toThrow(/30 deactivation\(s\) planned.*Max Deactivations/);
		const dry = await executePlan(p, dir, { dryRun: true });
		expect(dir.requests).toBe(before);
		expect(dry.summary.blocked).toMatch(/30 deactivation/);
		expect(dry.issues[0]).toMatchObject({ type: 'blocked' });
	});

	test('a create whose response was lost is resolved by lookup, not a second create', async () => {
		const dir = new FakeDirectory();
		dir.fault = (kind, target) => (kind === 'createUser' && ['p1', 'p4'].includes(String((target as ScimUserDraft).externalId)) ? 'lost' : undefined);
		const result = await executePlan(await plan(dir, people(6, 'p', { groups: [] })), dir);
		expect(result.issues).toEqual([]);
		expect(result.summary.done.create).toBe(6);
		expect(dir.writes.filter((w) => w.kind === 'createUser')).toHaveLength(6);
		expect(dir.users.size).toBe(6);
	});

	test('a 409 on create (e.g. a transport retry meeting its own first attempt) resolves by lookup', async () => {
		const dir = new FakeDirectory();
		const p = await plan(dir, people(2));
		await dir.createUser((p.steps[0] as { user: ScimUserDraft }).user); // already there, unknown to the plan
		const result = await executePlan(p, dir);
		expect(result.issues).toEqual([]);
		// Counted apart: one created by this run, one Plek already had (issue 9: a resolved 409 is not a create).
		expect(result.summary.done.create).toBe(1);
		expect(result.summary.alreadyExisted).toBe(1);
		expect(result.changes.map((c) => c.status)).toEqual(['done', 'done']);
		expect(dir.users.size).toBe(2);
	});

	test('a real uniqueness conflict on create is reported with what to do', async () => {
		const dir = new FakeDirectory();
		const p = await plan(dir, [record('k1')]);
		dir.users.set('x', plekUser('someone-else', { id: 'x', userName: 'k1@acme.nl' })); // appeared after planning
		const result = await executePlan(p, dir);
		expect(result.issues).toEqual([expect.objectContaining({ key: 'k1', action: 'create', status: 409, whatToDo: expect.stringMatching(/adopt it or change the userName/) })]);
	});
});

describe('bulk', () => {
	test('used for creates and patches when Plek advertises it, chunked within maxOperations', async () => {
		const existing = Array.from({ length: 30 }, (_, i) => plekUser(`e${i}`));
		const dir = new FakeDirectory(existing, [group('Care')]);
		dir.bulkSupported = true;
		dir.maxOperations = 50;
		const records = [...people(100, 'n', { groups: ['Care'] }), ...existing.map((u) => record(u.externalId as string, { profile: { title: 'T' } }))];
		const result = await executePlan(await plan(dir, records), dir);
		expect(result.issues).toEqual([]);
		expect(result.summary.done).toMatchObject({ create: 100, update: 30, groupAdd: 100 });
		expect(dir.writes.map((w) => w.kind)).toEqual(['bulk', 'bulk', 'bulk', 'addGroupMembers']);
		expect(dir.writes.map((w) => w.count)).toEqual([30, 50, 50, 100]);
		expect((await plan(dir, records)).steps).toEqual([]);
	});

	test('at most bulkOperationsPerRequest operations per request (default 100)', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = true;
		dir.maxOperations = 1000;
		await executePlan(await plan(dir, people(250, 'n', { groups: [] })), dir);
		expect(dir.writes.map((w) => w.count)).toEqual([100, 100, 50]);
	});

	test('not used with useBulk "never"', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = true;
		await executePlan(await plan(dir, people(3)), dir, { useBulk: 'never' });
		expect(dir.writes.map((w) => w.kind)).toEqual(['createUser', 'createUser', 'createUser']);
	});

	test('a failed bulk operation becomes a per-user retry or failure', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = true;
		let failOnce = true;
		dir.fault = (kind, target) => {
			const key = String((target as ScimUserDraft)?.externalId);
			if (kind === 'createUser' && key === 'p1' && failOnce) {
				failOnce = false;
				return 'fail'; // 500 inside the bulk response: retried singly
			}
			if (kind === 'createUser' && key === 'p2') return new FakeScimError(400, 'invalid', 'invalidValue');
			return undefined;
		};
		const result = await executePlan(await plan(dir, people(4, 'p', { groups: [] })), dir);
		expect(result.summary.done.create).toBe(3);
		expect(result.issues).toEqual([
			expect.objectContaining({ type: 'failed', key: 'p2', action: 'create', status: 400, scimType: 'invalidValue', reason: 'create failed (HTTP 400, invalidValue): invalid' }),
		]);
		expect(dir.users.size).toBe(3);
		// p1's 500 was retried singly after a lookup; p2's 400 was not retried.
		expect(dir.writes.map((w) => w.kind)).toEqual(['bulk', 'createUser']);
	});

	test('a bulk request lost on the network is resolved by lookup, not re-POSTed blindly', async () => {
		const dir = new FakeDirectory();
		dir.bulkSupported = true;
		let lose = true;
		dir.fault = (kind) => {
			if (kind === 'bulk' && lose) {
				lose = false;
				return 'lost';
			}
			return undefined;
		};
		const result = await executePlan(await plan(dir, people(5, 'p', { groups: [] })), dir);
		expect(result.issues).toEqual([]);
		expect(result.summary.done.create).toBe(5);
		expect(dir.users.size).toBe(5);
		expect(dir.writes.map((w) => w.kind)).toEqual(['bulk']); // applied once, then 5 lookups, no new POST
	});
});

describe('memberships', () => {
	test('one PATCH per group and chunk of members; a refused member is isolated', async () => {
		const users = Array.from({ length: 250 }, (_, i) => plekUser(`m${i}`));
		const dir = new FakeDirectory(users, [group('All')]);
		const p = await plan(dir, users.map((u) => record(u.externalId as string, { groups: ['All'] })));
		dir.users.delete(users[7].id); // vanished after planning: Plek refuses it as a member
		const result = await executePlan(p, dir, { membersPerRequest: 100 });
		expect(result.summary.done.groupAdd).toBe(249);
		expect(result.issues).toEqual([expect.objectContaining({ key: 'm7', action: 'groupAdd', groupName: 'All', status: 400 })]);
		const adds = dir.writes.filter((w) => w.kind === 'addGroupMembers');
		// Three chunks (100, 100, 50), one after another for the same group; the first holds m7, is refused and is
		// retried member by member.
		expect(adds.map((w) => w.count)).toEqual([100, ...Array(100).fill(1), 100, 50]);
	});

	test('different groups are written concurrently, one group never by two requests at once', async () => {
		const users = Array.from({ length: 40 }, (_, i) => plekUser(`m${i}`));
		const dir = new FakeDirectory(users, [group('A'), group('B'), group('C')]);
		const p = await plan(dir, users.map((u) => record(u.externalId as string, { groups: ['A', 'B', 'C'] })));
		dir.latencyTurns = 3;
		let perGroup = 0;
		const inFlight = new Map<string, number>();
		const original = dir.addGroupMembers.bind(dir);
		dir.addGroupMembers = async (groupId, ids) => {
			inFlight.set(groupId, (inFlight.get(groupId) ?? 0) + 1);
			perGroup = Math.max(perGroup, inFlight.get(groupId) as number);
			await original(groupId, ids);
			inFlight.set(groupId, (inFlight.get(groupId) as number) - 1);
		};
		await executePlan(p, dir, { membersPerRequest: 10, concurrency: 4 });
		expect(perGroup).toBe(1);
		expect(dir.maxInFlight).toBe(3);
		expect(dir.groupMembers('C')).toHaveLength(40);
	});
});

describe('syncOnce', () => {
	test('reads, plans and applies; an unchanged second run writes nothing', async () => {
		const dir = new FakeDirectory([], [group('Care')]);
		const records = people(10, 'p', { groups: ['Care'] });
		const progress: string[] = [];
		const first = await syncOnce(records, dir, { onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`) });
		expect(first.summary).toMatchObject({ dryRun: false, done: { create: 10, groupAdd: 10 }, failed: 0 });
		expect(first.summary.requests).toBe(2 + 1 + 10 + 1); // list users + groups, capabilities, creates, one group PATCH
		expect(progress).toContain('users:10/10');
		expect(progress).toContain('memberships:1/1');
		const writes = dir.writeCount();
		const second = await syncOnce(records, dir, { explainKey: 'p1' });
		expect(dir.writeCount()).toBe(writes);
		expect(second.changes).toEqual([]);
		expect(second.summary).toMatchObject({ unchanged: 10, requests: 2 });
		expect(second.explanation?.join('\n')).toMatch(/Decision: unchanged/);
	});
});

describe('advice for refusals', () => {
	test('a 4xx other than the known ones never advises running again', async () => {
		const dir = new FakeDirectory([plekUser('k1')]);
		dir.fault = (kind) => (kind === 'patchUser' ? new FakeScimError(422, 'unprocessable') : undefined);
		const result = await executePlan(await plan(dir, [record('k1', { profile: { title: 'T' } })]), dir);
		expect(result.issues).toEqual([expect.objectContaining({ key: 'k1', status: 422 })]);
		expect(result.issues[0].whatToDo).not.toMatch(/run the sync again|unavailable/);
		expect(result.issues[0].whatToDo).toMatch(/mapping and the Plek schema/);
	});
});
