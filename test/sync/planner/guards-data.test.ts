// Issue 22, items 5 and 10: every widening or destructive action is counted by a guard from ONE list (GUARDS), shown
// in the blocked plan and approvable; the source-size guard counts active people, not every record.
import { GUARDS, guardInput, judgeGuards } from '../../../core/sync/planner/guards';
import { MANAGER_PATH } from '../../../core/sync/planner/managers';
import type { SyncOptions } from '../../../core/sync/types';
import { createdGroup, ENT, group, plan, plekUser, record } from './helpers';

const guardOf = (p: ReturnType<typeof plan>, option: string) => p.blocked?.guards?.find((g) => g.guard === option);

describe('the guard list', () => {
	test('one entry per option, each with a default and words for what it counts', () => {
		const options = GUARDS.map((g) => g.option);
		expect(new Set(options).size).toBe(options.length);
		expect(options).toEqual(expect.arrayContaining(['maxDeactivations', 'maxDeactivationPercent', 'minSourceRatio', 'maxGroupCreates', 'maxGroupRemovals', 'maxAdoptions', 'maxRenames', 'maxManagerChanges']));
		for (const g of GUARDS) expect(g.counts.length).toBeGreaterThan(5);
	});

	test('every guard is judged and listed, with its count and limit, whether or not it blocks', () => {
		const groupCreates = ['A', 'B', 'C'].map((displayName) => ({ kind: 'groupCreate' as const, displayName }));
		const results = judgeGuards({ maxGroupCreates: 2 }, guardInput(groupCreates, { managedActive: 10, inputRecords: 10 }));
		expect(results.map((r) => r.guard)).toEqual(GUARDS.map((g) => g.option));
		expect(results.find((r) => r.guard === 'maxGroupCreates')).toEqual(expect.objectContaining({ count: 3, limit: 2, blocks: true, problem: '3 group creates exceed the limit of 2 per run' }));
		expect(results.filter((r) => r.blocks)).toHaveLength(1);
	});
});

describe('each widening or destructive action is guarded', () => {
	test('3,000 distinct departments do not create 3,000 groups: blocked, nothing written, approvable', () => {
		const records = Array.from({ length: 3000 }, (_, i) => record(`k${i}`, { groups: [`Dept ${i}`] }));
		const options: SyncOptions = { createMissingGroups: true };
		const p = plan(records, [], [], options);
		expect(p.blocked?.reason).toMatch(/3000 group creates exceed the limit of 10 per run.*raise "Max Group Creates" to 3000 or more/);
		expect(guardOf(p, 'maxGroupCreates')).toEqual(expect.objectContaining({ count: 3000, limit: 10, blocks: true }));
		const approved = plan(records, [], [], { ...options, approvePlan: p.fingerprint });
		expect(approved.blocked).toBeUndefined();
		expect(approved.approved).toBe(true);
		expect(plan(records, [], [], { ...options, maxGroupCreates: 3000 }).blocked).toBeUndefined();
	});

	test('200 group removals are blocked by default, allowed with a higher limit', () => {
		const users = Array.from({ length: 200 }, (_, i) => plekUser(`u${i}`));
		const records = users.map((u) => record(u.externalId as string, { groups: [] }));
		const p = plan(records, users, [createdGroup('Team', users)], { removeFromRuleGroups: true });
		expect(p.blocked?.reason).toMatch(/200 group removals exceed the limit of 50 per run/);
		expect(plan(records, users, [createdGroup('Team', users)], { removeFromRuleGroups: true, maxGroupRemovals: -1 }).blocked).toBeUndefined();
	});

	test('adoptions are counted', () => {
		const loose = Array.from({ length: 3 }, (_, i) => plekUser(undefined, { userName: `p${i}@acme.nl` }));
		const records = loose.map((_, i) => record(`p${i}`));
		const p = plan(records, loose, [], { adoptUnmanaged: 'userName', maxAdoptions: 2 });
		expect(p.blocked?.reason).toMatch(/3 adoptions of unmanaged accounts exceed the limit of 2 per run.*raise "Max Adoptions" to 3/);
	});

	test('renames of existing accounts are counted', () => {
		const users = Array.from({ length: 3 }, (_, i) => plekUser(`r${i}`));
		const records = users.map((u) => record(u.externalId as string, { userName: `${u.externalId}@new.example` }));
		expect(plan(records, users, [], { maxRenames: 2 }).blocked?.reason).toMatch(/3 userName changes exceed the limit of 2/);
		expect(plan(records, users, [], { maxRenames: 3 }).blocked).toBeUndefined();
	});

	test('manager changes of existing accounts are counted; a new account\'s manager is part of its create', () => {
		const boss = plekUser('boss');
		const staff = Array.from({ length: 3 }, (_, i) => plekUser(`s${i}`));
		const records = [record('boss'), ...staff.map((u) => record(u.externalId as string, { manager: 'boss' })), record('new', { manager: 'boss' })];
		const p = plan(records, [boss, ...staff], [], { maxManagerChanges: 2 });
		expect(p.steps.some((s) => s.kind === 'update' && s.operations.some((o) => o.path === MANAGER_PATH))).toBe(true);
		expect(p.blocked?.reason).toMatch(/^Sync blocked, nothing was written: 3 manager changes exceed the limit of 2 per run\. If these changes are intended: raise "Max Manager Changes" to 3 or more/);
	});

	test('a deactivation guard and a change guard together: both named, deactivations first', () => {
		const users = Array.from({ length: 40 }, (_, i) => plekUser(`u${i}`));
		const records = users.map((u, i) => record(u.externalId as string, { active: i >= 30, groups: i >= 30 ? ['A', 'B', 'C'] : [] }));
		const p = plan(records, users, [], { createMissingGroups: true, maxGroupCreates: 2, maxDeactivationPercent: -1, minSourceRatio: 0 });
		expect(p.blocked?.reason).toMatch(/30 deactivation\(s\) planned .* but 30 deactivations exceed the limit of 25 per run; and 3 group creates exceed the limit of 2 per run\. If these changes are intended: raise "Max Deactivations" to 30 or more; raise "Max Group Creates" to 3 or more/);
	});
});

describe('the source-size guard counts active people (item 10)', () => {
	const staff = Array.from({ length: 100 }, (_, i) => plekUser(`u${i}`));

	test('an export that lost 60% of its staff is not padded past the guard by historic leavers and future hires', () => {
		const kept = staff.slice(0, 40).map((u) => record(u.externalId as string));
		const historic = Array.from({ length: 50 }, (_, i) => record(`old${i}`, { active: false }));
		const future = Array.from({ length: 20 }, (_, i) => record(`hire${i}`, { startDate: '2099-01-01' }));
		const leaver = record('u40', { active: false });
		const p = plan([...kept, leaver, ...historic, ...future], staff, [], { maxDeactivations: -1, maxDeactivationPercent: -1, now: '2026-12-07' });
		expect(p.blocked?.reason).toMatch(/only 40 valid record\(s\) for 100 managed active Plek users \(active people only/);
		expect(p.blocked?.counts).toMatchObject({ inputRecords: 111, managedActive: 100 });
		expect(guardOf(p, 'minSourceRatio')).toEqual(expect.objectContaining({ count: 40, blocks: true }));
	});

	test('the same input with its staff present passes', () => {
		const all = staff.map((u, i) => record(u.externalId as string, { active: i !== 0 }));
		expect(plan(all, staff, [], { maxDeactivations: -1, maxDeactivationPercent: -1 }).blocked).toBeUndefined();
	});
});

test('a blocked plan in the executor\'s dry-run shape lists the guards (ENT is the enterprise URN)', () => {
	expect(ENT).toContain('enterprise');
	const p = plan([record('a', { groups: ['X', 'Y'] })], [], [group('Z')], { createMissingGroups: true, maxGroupCreates: 1 });
	expect(p.blocked?.guards?.filter((g) => g.blocks).map((g) => g.guard)).toEqual(['maxGroupCreates']);
});
