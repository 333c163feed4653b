// The life-cycle rules of the planner (issue 14): protected accounts, the plan fingerprint and its approval.
import { emptySourceProblem, isEmptySource, planFingerprint, planSync, resolveLifecycleOptions } from '../../core/sync/planner';
import { canonicalJson, parseFingerprintCounts } from '../../core/sync/planner/fingerprint';
import { firstAffected } from '../../core/sync/planner/approval';
import type { PlannedStep, SyncOptions } from '../../core/sync/types';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../../core/types';
import { group, plekUser, record } from './builders';

function plan(records: PlekUserRecord[], users: ScimUser[] = [], groups: ScimGroup[] = [], options: SyncOptions = {}) {
	return planSync(records, { users, groups }, options);
}
const kinds = (steps: PlannedStep[]) => steps.map((s) => s.kind);

describe('life-cycle options', () => {
	test('defaults: nothing protected, nothing approved; lists trimmed, junk dropped', () => {
		expect(resolveLifecycleOptions()).toEqual({ protectedAccounts: [], protectedGroups: [], approvePlan: '', allowEmptySource: false });
		expect(resolveLifecycleOptions({ protectedAccounts: [' admin@acme.nl ', '', 5 as unknown as string], protectedGroup: ' Admins ', approvePlan: ' x ' })).toEqual({
			protectedAccounts: ['admin@acme.nl'],
			protectedGroups: ['Admins'],
			approvePlan: 'x',
			allowEmptySource: false,
		});
	});
});

describe('protected accounts', () => {
	test('a listed userName (any case) is not deactivated, updated or removed from groups; others are', () => {
		const admin = plekUser('adm', { userName: 'Admin@acme.nl' });
		const other = plekUser('oth');
		const care = group('Care', [admin, other]);
		const records = [
			record('adm', { userName: 'Admin@acme.nl', active: true, profile: { title: 'Boss' }, groups: [] }),
			record('oth', { userName: other.userName, profile: { title: 'Boss' }, groups: [] }),
		];
		const p = plan(records, [admin, other], [care], { protectedAccounts: ['admin@ACME.nl'], removeFromRuleGroups: true, managedGroups: ['Care'] });
		expect(p.steps.filter((s) => s.kind !== 'groupCreate' && s.key === 'adm')).toEqual([]);
		expect(kinds(p.steps.filter((s) => s.kind !== 'groupCreate' && s.key === 'oth'))).toEqual(['update', 'groupRemove']);
		expect(p.protectedAccounts).toEqual([{ key: 'adm', userId: admin.id, userName: 'Admin@acme.nl', by: 'list', dropped: ['update', 'groupRemove'] }]);
		expect(p.counts.update).toBe(1);
	});

	test('a listed externalId (exact) is never deactivated as a leaver or as missing; the guard does not count it', () => {
		const svc = plekUser('svc-1');
		const leaver = plekUser('lv');
		const users = [svc, leaver, ...Array.from({ length: 20 }, (_, i) => plekUser(`p${i}`))];
		const records = [record('lv', { active: false }), ...Array.from({ length: 20 }, (_, i) => record(`p${i}`, { userName: users[i + 2].userName, profile: {} }))];
		const p = plan(records, users, [], { protectedAccounts: ['svc-1', 'LV'], deactivateMissing: true, maxDeactivations: 0 });
		// 'LV' is not the externalId 'lv' (exact) nor its userName: lv is deactivated; svc-1 (missing) is not.
		expect(p.steps.map((s) => ('key' in s ? `${s.kind}:${s.key}` : s.kind))).toEqual(['deactivate:lv']);
		expect(p.protectedAccounts?.map((m) => m.key)).toEqual(['svc-1']);
		expect(p.blocked?.counts.deactivations).toBe(1);
	});

	test('members of the protected group are not touched; new people are still created', () => {
		const a = plekUser('a');
		const admins = group('Plek Admins', [a]);
		const p = plan([record('a', { active: false }), record('new')], [a], [admins], { protectedGroup: 'plek admins' });
		expect(kinds(p.steps)).toEqual(['create']);
		expect(p.protectedAccounts).toEqual([{ key: 'a', userId: a.id, userName: a.userName, by: 'group', dropped: ['deactivate'] }]);
	});

	test('an unmanaged protected account is not adopted', () => {
		const hand = plekUser(undefined, { userName: 'hand@acme.nl' });
		const p = plan([record('h', { userName: 'hand@acme.nl' })], [hand], [], { adoptUnmanaged: 'userName', protectedAccounts: ['hand@acme.nl'] });
		expect(p.steps).toEqual([]);
		expect(p.protectedAccounts?.[0].dropped).toEqual(['adopt']);
	});

	test('a protected group Plek lacks blocks the run (fail closed), even with an approval', () => {
		const p = plan([record('new')], [], [], { protectedGroup: 'Admins' });
		expect(p.blocked?.reason).toMatch(/protected group "Admins" does not exist in Plek.*nothing was written|nothing was written.*"Admins" does not exist/);
		const approved = plan([record('new')], [], [], { protectedGroup: 'Admins', approvePlan: p.fingerprint });
		expect(approved.blocked).toBeDefined();
	});

	test('Explain names the protection', () => {
		const a = plekUser('a');
		const p = plan([record('a', { active: false })], [a], [], { protectedAccounts: ['a'], explainKey: 'a' });
		expect(p.explanation?.join('\n')).toMatch(/Protected account \(on the Protected Accounts list\): not written - dropped deactivate/);
		const quiet = plan([record('a', { userName: a.userName, profile: {} })], [a], [], { protectedAccounts: ['a'], explainKey: 'a' });
		expect(quiet.explanation?.join('\n')).toMatch(/Protected account .*nothing would be written anyway/);
	});

	test('convergence: a re-run against the result of the plan writes nothing for the protected account', () => {
		const a = plekUser('a');
		const p = plan([record('a', { active: false })], [a], [], { protectedAccounts: ['a'] });
		expect(p.steps).toEqual([]);
		expect(p.counts.skipped).toBe(1);
	});
});

describe('plan fingerprint', () => {
	const users = Array.from({ length: 4 }, (_, i) => plekUser(`f${i}`));
	const records = users.map((u, i) => record(`f${i}`, { userName: u.userName, profile: { title: `T${i}` } }));

	test('canonical JSON sorts keys at every level and keeps array order', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null, e: undefined } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
	});

	test('same writes -> same fingerprint, whatever the order of records and Plek users', () => {
		const p1 = plan(records, users);
		const p2 = plan([...records].reverse(), [...users].reverse());
		expect(p1.fingerprint).toBe(p2.fingerprint);
		expect(p1.fingerprint).toMatch(/^update4-[0-9a-f]{20}$/);
		expect(parseFingerprintCounts(p1.fingerprint as string)).toEqual(new Map([['update', 4]]));
	});

	// Issue 22: an approval is for the accounts as they were; an applied plan or a hand edit gives each written account
	// a new version, so the same approval cannot apply again even where nothing remembers it (queue-mode workers).
	test('the version of an account a step writes counts: same writes to a since-changed account -> another fingerprint', () => {
		const versioned = users.map((u) => ({ ...u, meta: { version: 'W/"1"' } }));
		const p1 = plan(records, versioned);
		const sameVersions = plan([...records].reverse(), [...versioned].reverse());
		const oneEdited = plan(records, versioned.map((u, i) => (i === 0 ? { ...u, meta: { version: 'W/"2"' } } : u)));
		expect(sameVersions.fingerprint).toBe(p1.fingerprint);
		expect(oneEdited.fingerprint).not.toBe(p1.fingerprint);
		expect(parseFingerprintCounts(oneEdited.fingerprint as string)).toEqual(new Map([['update', 4]]));
	});

	test('without a version, the account\'s lastModified counts instead: same writes to a since-edited account -> another fingerprint', () => {
		const stamped = users.map((u) => ({ ...u, meta: { lastModified: '2026-12-01T08:00:00Z' } }));
		const p1 = plan(records, stamped);
		const same = plan([...records].reverse(), [...stamped].reverse());
		const oneEdited = plan(records, stamped.map((u, i) => (i === 0 ? { ...u, meta: { lastModified: '2026-12-07T09:30:00Z' } } : u)));
		expect(same.fingerprint).toBe(p1.fingerprint);
		expect(oneEdited.fingerprint).not.toBe(p1.fingerprint);
	});

	test('a different value or person -> another fingerprint; an empty plan is "nothing-..."', () => {
		const p1 = plan(records, users);
		const changed = plan(records.map((r, i) => (i === 0 ? { ...r, profile: { title: 'Other' } } : r)), users);
		expect(changed.fingerprint).not.toBe(p1.fingerprint);
		expect(planFingerprint([])).toMatch(/^nothing-[0-9a-f]{20}$/);
	});
});

describe('approve exactly what was previewed', () => {
	const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
	const leavers = (n: number) => users.map((u, i) => record(`u${i}`, { userName: u.userName, active: i >= n, profile: {} }));

	test('a blocked plan carries its fingerprint, the counts and the first people (deactivations first)', () => {
		const p = plan(leavers(3), users);
		expect(p.blocked?.fingerprint).toBe(p.fingerprint);
		expect(p.fingerprint).toMatch(/^deactivate3-/);
		expect(p.blocked?.reason).toContain(`set Approve Plan to ${p.fingerprint}`);
		expect(p.blocked?.firstAffected).toEqual([0, 1, 2].map((i) => `deactivate ${users[i].userName} (key "u${i}")`));
		expect(p.blocked?.counts.deactivations).toBe(3);
	});

	test('approving that fingerprint applies the same plan over the guard', () => {
		const preview = plan(leavers(3), users);
		const p = plan(leavers(3), users, [], { approvePlan: preview.fingerprint, explainKey: 'u0' });
		expect(p.blocked).toBeUndefined();
		expect(p.approved).toBe(true);
		expect(kinds(p.steps)).toEqual(['deactivate', 'deactivate', 'deactivate']);
		expect(p.explanation?.join('\n')).toContain(`Approved plan ${preview.fingerprint}`);
	});

	test('a changed source after approval blocks again, saying what changed', () => {
		const preview = plan(leavers(3), users);
		const p = plan(leavers(4), users, [], { approvePlan: preview.fingerprint });
		expect(p.approved).toBeUndefined();
		expect(p.blocked?.reason).toContain('approved: 3 deactivate; now: 4 deactivate');
		expect(p.blocked?.reason).toContain(`set Approve Plan to ${p.fingerprint}`);
	});

	test('same counts but other people -> blocked; a stale approval blocks even a plan no guard would block', () => {
		const preview = plan(leavers(3), users);
		const other = users.map((u, i) => record(`u${i}`, { userName: u.userName, active: i < 7, profile: {} }));
		expect(plan(other, users, [], { approvePlan: preview.fingerprint }).blocked?.reason).toContain('the counts are the same (3 deactivate), but the people or values written differ');
		const small = plan(leavers(1), users, [], { approvePlan: preview.fingerprint, maxDeactivationPercent: -1 });
		expect(small.blocked?.reason).toContain('or clear Approve Plan');
		expect(plan(leavers(1), users, [], { approvePlan: 'typo' }).blocked?.reason).toContain('"typo" is not a plan fingerprint');
	});
});

describe('firstAffected', () => {
	test('at most ten, deactivations before updates', () => {
		const steps: PlannedStep[] = [
			{ kind: 'update', key: 'x', userId: '1', userName: 'x@a.nl', operations: [], changes: [] },
			...Array.from({ length: 12 }, (_, i) => ({ kind: 'deactivate' as const, key: `d${i}`, userId: `${i}`, reason: 'missing from source' as const, operations: [] })),
		];
		const lines = firstAffected(steps);
		expect(lines).toHaveLength(10);
		expect(lines.every((l) => l.startsWith('deactivate'))).toBe(true);
	});
});

describe('empty source', () => {
	test('no items, or only the empty items of Always Output Data, is an empty source', () => {
		expect(isEmptySource([])).toBe(true);
		expect(isEmptySource([{}, {}])).toBe(true);
		expect(isEmptySource([{}, record('a')])).toBe(false);
		expect(isEmptySource([null])).toBe(false);
		expect(isEmptySource([[]])).toBe(false);
	});

	test('fails with "the source returned no people" unless empty sources are allowed', () => {
		expect(emptySourceProblem([{}], false)?.message).toBe('The source returned no people: nothing was synced');
		expect(emptySourceProblem([{}], false)?.whatToDo).toContain('Allow Empty Source');
		expect(emptySourceProblem([{}], true)).toBeUndefined();
		expect(emptySourceProblem([record('a')], false)).toBeUndefined();
	});
});
