// Approve exactly what was previewed: who a blocked plan names, and the verdicts' fields (approved, counts, Explain).
import { firstAffected } from '../../../core/sync/planner/approval';
import { DEFAULT_SYNC_OPTIONS, type PlannedStep } from '../../../core/sync/types';
import { plan, plekUser, record } from './helpers';

const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
const leavers = (n: number) => users.map((u, i) => record(`u${i}`, { userName: u.userName, active: i >= n, profile: {} }));
const traceOf = (p: ReturnType<typeof plan>, key: string) => p.decisions?.find((d) => d.key === key)?.trace ?? [];

describe('firstAffected names each kind of write', () => {
	test('a created user by its userName, a created group by its name, group changes with the group', () => {
		const steps = [
			{ kind: 'groupCreate', displayName: 'Care' },
			{ kind: 'groupAdd', groupName: 'Care', key: 'a', userRef: { key: 'a' } },
			{ kind: 'groupRemove', groupName: 'Cure', key: 'b', userRef: { userId: 'id-b' } },
			{ kind: 'create', key: 'a', user: { userName: 'a@acme.nl', active: true } },
			{ kind: 'deactivate', key: 'c', userId: 'id-c', reason: 'missing from source', operations: [] },
		] as unknown as PlannedStep[];
		expect(firstAffected(steps)).toEqual([
			'deactivate (key "c")',
			'create a@acme.nl (key "a")',
			'groupRemove "Cure" (key "b")',
			'groupAdd "Care" (key "a")',
			'groupCreate "Care"',
		]);
	});
});

describe('the verdict\'s fields', () => {
	test('a plan no guard blocks and nobody approved: not approved, Explain has only the decision', () => {
		const p = plan(leavers(0), users, [], { explainKey: 'u1' });
		expect(p.approved).toBeUndefined();
		expect(p.blocked).toBeUndefined();
		expect(p.explanation).toEqual(traceOf(p, 'u1'));
	});

	test('a guard-blocked plan without approval: not approved, Explain adds only the block', () => {
		const p = plan(leavers(3), users, [], { explainKey: 'u0' });
		expect(p.blocked).toBeDefined();
		expect(p.approved).toBeUndefined();
		expect(p.explanation).toEqual([...traceOf(p, 'u0'), `The whole plan is blocked: ${p.blocked?.reason}`]);
	});

	test('a stale approval on a plan no guard blocks: blocked with the counts and guard settings, not approved', () => {
		const p = plan(leavers(1), users, [], { approvePlan: `deactivate2-${'0'.repeat(20)}`, explainKey: 'u0', maxDeactivationPercent: 50 });
		expect(p.approved).toBeUndefined();
		expect(p.blocked?.counts).toEqual({
			deactivations: 1, inactiveInSource: 1, missingFromSource: 0, managedActive: 10, inputRecords: 10,
			maxDeactivations: DEFAULT_SYNC_OPTIONS.maxDeactivations, maxDeactivationPercent: 50, minSourceRatio: DEFAULT_SYNC_OPTIONS.minSourceRatio,
		});
		expect(p.explanation).toEqual([...traceOf(p, 'u0'), `The whole plan is blocked: ${p.blocked?.reason}`]);
	});

	test('a stale approval on a guard-blocked plan keeps the guard\'s counts', () => {
		const guarded = plan(leavers(3), users);
		const p = plan(leavers(3), users, [], { approvePlan: `deactivate2-${'0'.repeat(20)}` });
		expect(p.blocked?.counts).toEqual(guarded.blocked?.counts);
		expect(p.blocked?.reason).toContain('approved: 2 deactivate; now: 3 deactivate');
	});

	test('an approval that is no fingerprint, on a plan without writes: says the plan has no writes', () => {
		const p = plan(leavers(0), users, [], { approvePlan: 'typo' });
		expect(p.steps).toEqual([]);
		expect(p.blocked?.reason).toContain('"typo" is not a plan fingerprint (copy it from the blocked run\'s Summary or error); the plan now has no writes');
	});
});
