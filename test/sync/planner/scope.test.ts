// Scoped syncs: deactivateMissing limited to one part of the organisation; the guards count per part.
import { ENT, group, plan, plekUser, record } from './helpers';

const org = (key: string, organization: string) => plekUser(key, { [ENT]: { organization } } as never);
const north = Array.from({ length: 20 }, (_, i) => org(`n${i}`, 'North'));
const south = Array.from({ length: 20 }, (_, i) => org(`s${i}`, 'South'));
const deactivated = (p: ReturnType<typeof plan>) => p.steps.filter((s) => s.kind === 'deactivate').map((s) => ('key' in s ? s.key : ''));
// The North part's run: everyone of North but n0, nobody of South.
const northRun = north.slice(1).map((u) => record(u.externalId as string));

describe('missingScope', () => {
	test('without a scope the other part is "missing" (and the guards block it)', () => {
		const p = plan(northRun, [...north, ...south], [], { deactivateMissing: true });
		expect(p.blocked?.counts.missingFromSource).toBe(21);
	});

	test('attribute scope: only the part\'s own missing user is deactivated; the other part is untouched', () => {
		const p = plan(northRun, [...north, ...south], [], {
			deactivateMissing: true,
			missingScope: { attribute: `${ENT}:organization`, value: 'north' },
		});
		expect(p.blocked).toBeUndefined();
		expect(deactivated(p)).toEqual(['n0']);
	});

	test('group scope: members of the Plek group only', () => {
		const p = plan(northRun, [...north, ...south], [group('North', north)], { deactivateMissing: true, missingScope: { group: 'north' } });
		expect(deactivated(p)).toEqual(['n0']);
	});

	test('a scope group Plek lacks holds nobody: nothing is deactivated as missing', () => {
		const p = plan(northRun, [...north, ...south], [], { deactivateMissing: true, missingScope: { group: 'Nowhere' } });
		expect(deactivated(p)).toEqual([]);
	});

	test('the guards count per scope: 3 of a 20-person part is 15 %, over 10 %, though only 7.5 % of all', () => {
		const records = north.slice(3).map((u) => record(u.externalId as string));
		const scoped = plan(records, [...north, ...south], [], {
			deactivateMissing: true,
			missingScope: { attribute: `${ENT}:organization`, value: 'North' },
		});
		expect(scoped.blocked?.counts).toMatchObject({ deactivations: 3, managedActive: 20 });
		expect(scoped.blocked?.reason).toMatch(/3 of 20 managed active users is 15\.0%/);
		// The shrunken-source guard too: 17 records for a part of 20 passes; a part's run of 5 records does not.
		const tiny = plan(north.slice(15).map((u) => record(u.externalId as string)), [...north, ...south], [], {
			deactivateMissing: true, maxDeactivations: -1, maxDeactivationPercent: -1,
			missingScope: { attribute: `${ENT}:organization`, value: 'North' },
		});
		expect(tiny.blocked?.reason).toMatch(/only 5 valid record\(s\) for 20 managed active/);
	});

	test('a malformed scope is no scope', () => {
		const p = plan(northRun, [...north, ...south], [], { deactivateMissing: true, missingScope: { attribute: ' ', value: 'x' } as never });
		expect(p.blocked?.counts.missingFromSource).toBe(21);
	});
});

describe('missingScope in Explain', () => {
	const options = { deactivateMissing: true, missingScope: { attribute: `${ENT}:organization`, value: 'North' } };
	test('a missing user of another part: Explain says it is outside the scope and stays', () => {
		const text = plan(northRun, [...north, ...south], [], { ...options, explainKey: 's3' }).explanation?.join('\n');
		expect(text).toContain(`Outside the Missing Users Scope (${ENT}:organization = "North"): another part's run decides about this user; not deactivated.`);
	});
	test('the part\'s own missing user: deactivated inside the scope', () => {
		const text = plan(northRun, [...north, ...south], [group('North', north)], { deactivateMissing: true, missingScope: { group: 'North' }, explainKey: 'n0' }).explanation?.join('\n');
		expect(text).toContain('Missing from the source -> deactivate (deactivateMissing; inside the Missing Users Scope, members of Plek group "North").');
		expect(text).not.toContain('Outside the Missing Users Scope');
	});
	test('without a scope no scope line', () => {
		const text = plan(northRun, [...north, ...south], [], { deactivateMissing: true, explainKey: 's3' }).explanation?.join('\n');
		expect(text).not.toContain('Missing Users Scope');
	});
});
