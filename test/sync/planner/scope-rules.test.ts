// The Missing Users Scope's rules one by one: which values are a scope, who is inside it, and the guards' base.
import { resolveMissingScope } from '../../../core/sync/planner/scope';
import { ENT, group, plan, plekUser, record } from './helpers';

const ORG = `${ENT}:organization`;
const org = (key: string, organization: unknown, overrides = {}) => plekUser(key, { [ENT]: { organization }, ...overrides } as never);
const deactivated = (p: ReturnType<typeof plan>) => p.steps.filter((s) => s.kind === 'deactivate').map((s) => ('key' in s ? s.key : ''));

describe('resolveMissingScope', () => {
	test('a group or an attribute scope is kept with its names and value trimmed', () => {
		expect(resolveMissingScope({ group: '  North ' })).toEqual({ group: 'North' });
		expect(resolveMissingScope({ attribute: ` ${ORG} `, value: '  North ' })).toEqual({ attribute: ORG, value: 'North' });
		expect(resolveMissingScope({ attribute: ORG, value: '' })).toEqual({ attribute: ORG, value: '' });
	});

	test('no object, a blank group, a blank or missing attribute or a value that is no text is no scope', () => {
		for (const value of [undefined, null, 'North', 5, {}, { group: '   ' }, { group: 5 }, { attribute: 5, value: 'x' }, { attribute: '  ', value: 'x' }, { attribute: ORG }, { attribute: ORG, value: 5 }, { attribute: ORG, value: null }]) {
			expect(resolveMissingScope(value)).toBeUndefined();
		}
	});

	test('a blank group falls through to a well-formed attribute scope', () => {
		expect(resolveMissingScope({ group: ' ', attribute: ORG, value: 'North' })).toEqual({ attribute: ORG, value: 'North' });
	});
});

describe('who is inside the scope', () => {
	// Everyone is missing from the input (one unrelated record keeps the input non-empty); the guards are off.
	const run = (users: ReturnType<typeof plekUser>[], missingScope: unknown, groups: ReturnType<typeof group>[] = []) =>
		plan([record('other')], users, groups, { deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1, minSourceRatio: 0, missingScope: missingScope as never });

	test('attribute values match whatever their case and surrounding spaces', () => {
		const users = [org('a', ' NORTH'), org('b', 'north  '), org('c', 'South'), org('d', 'Northwest')];
		expect(deactivated(run(users, { attribute: ORG, value: 'North' }))).toEqual(['a', 'b']);
	});

	test('a user without the attribute (absent or null) is in no part, not even one whose value reads "undefined" or "null"', () => {
		const users = [org('none', undefined), org('nil', null), plekUser('bare')];
		expect(deactivated(run(users, { attribute: ORG, value: 'undefined' }))).toEqual([]);
		expect(deactivated(run(users, { attribute: ORG, value: 'null' }))).toEqual([]);
	});

	test('a scope group named twice in Plek holds nobody (fail closed)', () => {
		const users = [plekUser('a'), plekUser('b')];
		const twice = [group('North', users, 'g1'), group('north', users, 'g2')];
		expect(deactivated(run(users, { group: 'North' }, twice))).toEqual([]);
	});

	test('a scope group without a member list holds nobody; the group name matches in any case', () => {
		const users = [plekUser('a'), plekUser('b')];
		expect(deactivated(run(users, { group: 'North' }, [{ id: 'g1', displayName: 'North' }]))).toEqual([]);
		expect(deactivated(run(users, { group: 'NORTH' }, [group('North', [users[1]])]))).toEqual(['b']);
	});
});

describe('the guards\' base is the managed active users of the scope', () => {
	const north = [...Array.from({ length: 8 }, (_, i) => org(`n${i}`, 'North')), org('n8', 'North', { active: false }), org('n9', 'North', { active: false })];
	const south = Array.from({ length: 5 }, (_, i) => org(`s${i}`, 'South'));
	const unmanaged = plekUser(undefined, { [ENT]: { organization: 'North' } } as never);
	// North's run without n0: one active user of the part missing.
	const records = north.slice(1).map((u) => record(u.externalId as string, { active: u.active }));

	test('an attribute scope counts only its active managed users (inactive and unmanaged ones are no base)', () => {
		const p = plan(records, [...north, ...south, unmanaged], [], { deactivateMissing: true, maxDeactivationPercent: 5, missingScope: { attribute: ORG, value: 'North' } });
		expect(deactivated(p)).toEqual(['n0']);
		expect(p.blocked?.counts).toMatchObject({ deactivations: 1, missingFromSource: 1, managedActive: 8 });
	});

	test('a group scope likewise', () => {
		const p = plan(records, [...north, ...south, unmanaged], [group('North', [...north, unmanaged])], { deactivateMissing: true, maxDeactivationPercent: 5, missingScope: { group: 'North' } });
		expect(p.blocked?.counts).toMatchObject({ deactivations: 1, managedActive: 8 });
	});

	test('without a scope the base is every managed active user', () => {
		const p = plan(records, [...north, ...south, unmanaged], [], { deactivateMissing: true, maxDeactivationPercent: 5 });
		expect(p.blocked?.counts).toMatchObject({ deactivations: 6, missingFromSource: 6, managedActive: 13 });
	});
});
