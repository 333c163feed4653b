// The guards, each limit on its own: count, percentage of the managed *active* users, empty / shrunken input.
import { checkGuards, guardInput } from '../../../core/sync/planner/guards';
import type { PlannedStep } from '../../../core/sync/types';
import { resolveSyncOptions } from '../../../core/sync/planner/options';
import { plan, plekUser, record } from './helpers';

interface Counts {
	deactivations?: number;
	/** Implied by deactivations - missingFromSource (the change set holds the deactivations, each with its reason). */
	inactiveInSource?: number;
	missingFromSource?: number;
	managedActive?: number;
	inputRecords?: number;
}

const deactivation = (i: number, reason: 'inactive in source' | 'missing from source'): PlannedStep => ({ kind: 'deactivate', key: `k${i}`, userId: `u${i}`, reason, operations: [] });

/** The change set the guards judge: `deactivations` deactivate writes, `missingFromSource` of them missing from the source. */
const counts = (c: Counts) => {
	const { deactivations = 0, missingFromSource = 0, managedActive = 100, inputRecords = 100 } = c;
	const steps = Array.from({ length: deactivations }, (_, i) => deactivation(i, i < missingFromSource ? 'missing from source' : 'inactive in source'));
	return guardInput(steps, { managedActive, inputRecords });
};
const o = (options = {}) => resolveSyncOptions(options);

describe('checkGuards', () => {
	test('no deactivations: never blocked, even with an empty input', () => {
		expect(checkGuards(o(), counts({ inputRecords: 0 }))).toBeUndefined();
	});

	test('the count limit: at the limit passes, one over blocks', () => {
		const many = { managedActive: 10000, inputRecords: 10000 };
		expect(checkGuards(o(), counts({ ...many, deactivations: 25, inactiveInSource: 25 }))).toBeUndefined();
		expect(checkGuards(o(), counts({ ...many, deactivations: 26, inactiveInSource: 26 }))?.reason).toMatch(/26 deactivations exceed the limit of 25/);
		expect(checkGuards(o({ maxDeactivations: -1 }), counts({ ...many, deactivations: 900 }))).toBeUndefined();
	});

	test('the percentage limit: 10 of 100 passes, 11 of 100 blocks; no limit when negative', () => {
		expect(checkGuards(o(), counts({ deactivations: 10 }))).toBeUndefined();
		expect(checkGuards(o(), counts({ deactivations: 11 }))?.reason).toMatch(/11 of 100 managed active users is 11.0%/);
		expect(checkGuards(o({ maxDeactivationPercent: -1 }), counts({ deactivations: 11 }))).toBeUndefined();
	});

	test('no managed active users: any deactivation is 100%', () => {
		expect(checkGuards(o({ maxDeactivations: -1 }), counts({ deactivations: 1, managedActive: 0 }))?.reason).toMatch(/is 100.0%/);
	});

	test('the source-size guard: half passes, less blocks; 0 switches it off', () => {
		const base = { deactivations: 1, managedActive: 100 };
		expect(checkGuards(o(), counts({ ...base, inputRecords: 50 }))).toBeUndefined();
		expect(checkGuards(o(), counts({ ...base, inputRecords: 49 }))?.reason).toMatch(/only 49 valid record\(s\) for 100/);
		expect(checkGuards(o({ minSourceRatio: 0 }), counts({ ...base, inputRecords: 1 }))).toBeUndefined();
		expect(checkGuards(o({ minSourceRatio: 0 }), counts({ ...base, inputRecords: 0 }))?.reason).toMatch(/the input is empty/);
	});

	test('a limit of 0 is a limit (any deactivation blocks); only a negative one switches the limit off', () => {
		const many = { managedActive: 10000, inputRecords: 10000, deactivations: 1, inactiveInSource: 1 };
		expect(checkGuards(o({ maxDeactivations: 0, maxDeactivationPercent: -1 }), counts(many))?.reason).toMatch(/1 deactivations exceed the limit of 0 per run/);
		expect(checkGuards(o({ maxDeactivations: -1, maxDeactivationPercent: 0 }), counts(many))?.reason).toMatch(/1 of 10000 managed active users is 0\.0%, over the limit of 0%/);
		expect(checkGuards(o({ maxDeactivations: -1, maxDeactivationPercent: -1 }), counts(many))).toBeUndefined();
	});

	test('the advice names the value that would let the plan through', () => {
		expect(checkGuards(o(), counts({ deactivations: 26, managedActive: 10000, inputRecords: 10000 }))?.reason).toMatch(/raise "Max Deactivations" to 26 or more/);
		expect(checkGuards(o({ maxDeactivations: -1 }), counts({ deactivations: 11 }))?.reason).toMatch(/raise "Max Deactivation Percent" to 11 or more/);
		expect(checkGuards(o({ maxDeactivations: -1 }), counts({ deactivations: 101, managedActive: 1000, inputRecords: 1000 }))?.reason).toMatch(/is 10\.1%, over the limit of 10%\. .*to 11 or more/);
		expect(checkGuards(o(), counts({ deactivations: 1, inputRecords: 49 }))?.reason).toMatch(/lower "Min Source Ratio" below 0\.49/);
		expect(checkGuards(o(), counts({ deactivations: 1, inputRecords: 20, managedActive: 50 }))?.reason).toMatch(/fewer than 50%.*below 0\.40/);
	});

	test('several problems are all named, joined, each with its advice', () => {
		const reason = checkGuards(o(), counts({ deactivations: 30, inactiveInSource: 30, managedActive: 100, inputRecords: 40 }))?.reason ?? '';
		expect(reason).toMatch(/only 40 valid record\(s\) for 100 .*; and 30 deactivations exceed the limit of 25 per run; and 30 of 100 managed active users is 30\.0%/);
		expect(reason).toMatch(/If these deactivations are intended: if the source really shrank, lower "Min Source Ratio" below 0\.40; raise "Max Deactivations" to 30 or more; raise "Max Deactivation Percent" to 30 or more\./);
	});

	test('the blocked info carries the counts and the limits', () => {
		const blocked = checkGuards(o(), counts({ deactivations: 30, inactiveInSource: 20, missingFromSource: 10, managedActive: 1000, inputRecords: 990 }));
		expect(blocked?.counts).toEqual({ deactivations: 30, inactiveInSource: 20, missingFromSource: 10, managedActive: 1000, inputRecords: 990, maxDeactivations: 25, maxDeactivationPercent: 10, minSourceRatio: 0.5 });
		expect(blocked?.reason).toMatch(/\(20 inactive in the source, 10 missing from the source\)/);
	});
});

describe('the guards in a plan', () => {
	test('the percentage base counts managed active users only (inactive and unmanaged ones are not the base)', () => {
		const active = Array.from({ length: 100 }, (_, i) => plekUser(`a${i}`));
		const inactive = Array.from({ length: 50 }, (_, i) => plekUser(`i${i}`, { active: false }));
		const unmanaged = Array.from({ length: 50 }, () => plekUser(undefined));
		const records = [...active.map((u, i) => record(u.externalId as string, { active: i >= 11 })), ...inactive.map((u) => record(u.externalId as string, { active: false }))];
		const p = plan(records, [...active, ...inactive, ...unmanaged]);
		expect(p.blocked?.counts).toMatchObject({ deactivations: 11, managedActive: 100 });
	});

	test('the source-size base is the number of valid records', () => {
		const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
		const records = [record('u0', { active: false }), ...Array.from({ length: 6 }, () => ({ key: 'bad' }))];
		const p = plan(records, users, [], { maxDeactivations: -1, maxDeactivationPercent: -1 });
		expect(p.blocked?.counts).toMatchObject({ inputRecords: 1, managedActive: 10 });
	});

	test('deactivations of leavers and of missing users both count', () => {
		const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
		const records = users.slice(1).map((u, i) => record(u.externalId as string, { active: i !== 0 }));
		const p = plan(records, users, [], { deactivateMissing: true, maxDeactivations: 1, maxDeactivationPercent: -1 });
		expect(p.blocked?.counts).toMatchObject({ deactivations: 2, inactiveInSource: 1, missingFromSource: 1 });
	});
});
