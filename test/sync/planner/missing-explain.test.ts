// Missing users left alone by default, and what Explain says about a key that is not in the input.
import { ENT, plan, plekUser, record } from './helpers';

const org = (key: string, organization: string, overrides = {}) => plekUser(key, { [ENT]: { organization }, ...overrides } as never);
const north = Array.from({ length: 20 }, (_, i) => org(`n${i}`, 'North'));
const south = [org('s0', 'South'), org('s1', 'South', { active: false })];
const records = north.map((u) => record(u.externalId as string, { userName: u.userName }));
const scoped = { deactivateMissing: true, missingScope: { attribute: `${ENT}:organization`, value: 'North' } };
const explain = (options: object, key: string) => plan(records, [...north, ...south], [], { ...options, explainKey: key }).explanation ?? [];
const OUTSIDE = /Outside the Missing Users Scope/;

describe('missing users without deactivateMissing', () => {
	test('are left alone: no write, no count, the run plans normally', () => {
		const p = plan(records, [...north, ...south]);
		expect(p.steps).toEqual([]);
		expect(p.counts).toMatchObject({ deactivate: 0, unchanged: 20, conflicts: 0 });
		expect(p.blocked).toBeUndefined();
	});
});

describe('missing users with deactivation switched off', () => {
	test('are not deactivated (no explained key)', () => {
		const p = plan(records.slice(2), [...north, ...south], [], { deactivateMissing: true, deactivate: false });
		expect(p.steps).toEqual([]);
		expect(p.counts.deactivate).toBe(0);
		expect(p.decisions?.filter((d) => d.rule === 'missingDeactivationOff').map((d) => d.key)).toEqual(['n0', 'n1', 's0']);
	});
});

describe('Explain for a key that is not in the input', () => {
	test('a key that is in the input is never called absent', () => {
		for (const options of [{}, scoped]) expect(explain(options, 'n3').join('\n')).not.toMatch(/is not in the input|Plek has no user/);
		// Its Explain is its own decision's trace and nothing else.
		const p = plan(records, [...north, ...south], [], { ...scoped, explainKey: 'n3' });
		const trace = p.decisions?.find((d) => d.key === 'n3')?.trace;
		expect(trace?.length).toBeGreaterThan(0);
		expect(p.explanation).toEqual(trace);
	});

	test('a key Plek lacks too: nothing to do, and no scope line', () => {
		const lines = explain(scoped, 'ghost');
		expect(lines.join('\n')).toContain('Plek has no user with this externalId either: nothing to do.');
		expect(lines.join('\n')).not.toMatch(OUTSIDE);
	});

	test('another part\'s active user: outside the scope, not deactivated', () => {
		const lines = explain(scoped, 's0');
		expect(lines.filter((l) => OUTSIDE.test(l))).toHaveLength(1);
	});

	test('no scope line for an inactive user, with deactivateMissing off, or without a scope', () => {
		expect(explain(scoped, 's1').join('\n')).not.toMatch(OUTSIDE);
		expect(explain({ ...scoped, deactivateMissing: false }, 's0').join('\n')).not.toMatch(OUTSIDE);
		expect(explain({ deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1 }, 's0').join('\n')).not.toMatch(OUTSIDE);
	});

	test('the part\'s own missing user is deactivated, not called outside', () => {
		const own = plan(records.slice(1), [...north, ...south], [], { ...scoped, explainKey: 'n0' });
		expect(own.steps.map((s) => s.kind)).toEqual(['deactivate']);
		expect((own.explanation ?? []).join('\n')).not.toMatch(OUTSIDE);
	});
});
