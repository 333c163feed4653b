// The life-cycle fields of the run Summary (lifecycleSummary) and the protected-group block (settleVerdict).
import { lifecycleSummary } from '../../../core/sync/planner';
import { DEFAULT_SYNC_OPTIONS } from '../../../core/sync/types';
import { group, plan, plekUser, record } from './helpers';

const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
// Records for every user; the first `leavers` are inactive in the source (deactivations).
const leavers = (n: number) => users.map((u, i) => record(`u${i}`, { userName: u.userName, active: i >= n, profile: {} }));

describe('lifecycleSummary', () => {
	test('a plain plan: only its fingerprint (not approved, nobody affected, nobody protected)', () => {
		const p = plan(leavers(0), users);
		expect(p.fingerprint).toMatch(/^nothing-/);
		expect(lifecycleSummary(p)).toEqual({ fingerprint: p.fingerprint });
	});

	test('a blocked plan: its fingerprint and the first people it would write to', () => {
		const p = plan(leavers(3), users);
		expect(p.blocked).toBeDefined();
		expect(lifecycleSummary(p)).toEqual({ fingerprint: p.fingerprint, firstAffected: p.blocked?.firstAffected });
		expect(lifecycleSummary(p).firstAffected).toHaveLength(3);
	});

	test('an approved plan says so', () => {
		const preview = plan(leavers(3), users);
		const p = plan(leavers(3), users, [], { approvePlan: preview.fingerprint });
		expect(lifecycleSummary(p)).toEqual({ fingerprint: preview.fingerprint, approved: true });
	});

	test('a plan without a fingerprint (an old plan object) has no fingerprint field', () => {
		const p = { ...plan(leavers(0), users), fingerprint: undefined };
		expect(lifecycleSummary(p)).toStrictEqual({});
	});

	test('protected accounts: counted, named by userName, by list or group, with the dropped writes', () => {
		const admins = group('Admins', [users[1]]);
		const p = plan(leavers(2), users, [admins], { protectedAccounts: ['u0'], protectedGroup: 'Admins' });
		expect(lifecycleSummary(p).protected).toEqual({
			count: 2,
			accounts: [`${users[0].userName} (protected list; not deactivate)`, `${users[1].userName} (protected group; not deactivate)`],
		});
	});

	test('a protected account without a userName is named by its Plek id', () => {
		const p = plan(leavers(0), users);
		p.protectedAccounts = [{ userId: 'id-x', by: 'list', dropped: ['update', 'groupRemove'] }];
		expect(lifecycleSummary(p).protected).toEqual({ count: 1, accounts: ['id-x (protected list; not update, groupRemove)'] });
	});

	test('at most ten protected accounts are named; the count is all of them', () => {
		const many = Array.from({ length: 12 }, (_, i) => plekUser(`p${i}`));
		const p = plan(many.map((u) => record(u.externalId as string, { userName: u.userName, active: false, profile: {} })), many, [], {
			protectedAccounts: many.map((u) => u.externalId as string),
		});
		const summary = lifecycleSummary(p).protected;
		expect(summary?.count).toBe(12);
		expect(summary?.accounts).toEqual(many.slice(0, 10).map((u) => `${u.userName} (protected list; not deactivate)`));
	});
});

describe('a protected group Plek lacks', () => {
	test('blocks with the guard counts and the guard settings, though no guard fired', () => {
		const p = plan(leavers(1), users, [], { protectedGroup: 'Admins', maxDeactivationPercent: 50 });
		expect(p.blocked?.counts).toEqual({
			deactivations: 1,
			inactiveInSource: 1,
			missingFromSource: 0,
			managedActive: 10,
			inputRecords: 10,
			maxDeactivations: DEFAULT_SYNC_OPTIONS.maxDeactivations,
			maxDeactivationPercent: 50,
			minSourceRatio: DEFAULT_SYNC_OPTIONS.minSourceRatio,
		});
		expect(p.blocked?.fingerprint).toBe(p.fingerprint);
	});

	test('when a guard fired too, the guard\'s counts are kept', () => {
		const guarded = plan(leavers(3), users);
		const p = plan(leavers(3), users, [], { protectedGroup: 'Admins' });
		expect(p.blocked?.counts).toEqual(guarded.blocked?.counts);
		expect(p.blocked?.reason).toMatch(/^Sync blocked, nothing was written: the protected group "Admins" does not exist/);
	});

	test('is not approved even with the plan\'s own fingerprint; Explain adds only the block', () => {
		const preview = plan(leavers(1), users, [], { protectedGroup: 'Admins' });
		const p = plan(leavers(1), users, [], { protectedGroup: 'Admins', approvePlan: preview.fingerprint, explainKey: 'u0' });
		expect(p.approved).toBeUndefined();
		expect(lifecycleSummary(p).approved).toBeUndefined();
		const unprotected = plan(leavers(1), users, [], { explainKey: 'u0' });
		expect(unprotected.blocked).toBeUndefined();
		expect(p.explanation).toEqual([...(unprotected.explanation ?? []), `The whole plan is blocked: ${p.blocked?.reason}`]);
	});
});
