// Pre-hires (planner/prehires.ts): start dates in the future are not created / not activated before the day;
// Create Pre-hires makes inactive accounts N days ahead; the day comes in the Sync's time zone; a rescinded hire is
// never active. The clock is the `now` option, so every test moves time itself.
import { syncOnce } from '../../../core/sync/executor';
import { preHireRules } from '../../../core/sync/planner/prehires';
import type { SyncOptions } from '../../../core/sync/types';
import type { PlekUserRecord } from '../../../core/types';
import { FakeDirectory } from '../fakeDirectory';
import { group, plan, plekUser, record } from './helpers';

const START = '2027-01-04';
const hire = (overrides: Partial<PlekUserRecord> = {}) => record('new', { startDate: START, groups: ['Care'], ...overrides });
const at = (now: string, extra: SyncOptions = {}): SyncOptions => ({ now, timeZone: 'Europe/Amsterdam', ...extra });
const ruleOf = (p: ReturnType<typeof plan>, key = 'new') => p.decisions?.find((d) => d.key === key)?.rule;

describe('a person who has not started yet', () => {
	test('Create Pre-hires off: not created before the start date, created active on it', () => {
		const before = plan([hire()], [], [group('Care')], at('2027-01-03T12:00:00Z'));
		expect(before.steps).toEqual([]);
		expect(ruleOf(before)).toBe('preHireNotYet');
		expect(before.counts.skipped).toBe(1);
		const onTheDay = plan([hire()], [], [group('Care')], at('2027-01-04T08:00:00+01:00'));
		expect(onTheDay.steps.map((s) => s.kind)).toEqual(['create', 'groupAdd']);
		expect(onTheDay.steps[0]).toMatchObject({ kind: 'create', user: { active: true } });
		expect(ruleOf(onTheDay)).toBe('create');
	});

	test('Create Pre-hires 7: more than 7 days away not yet; 7 days away created inactive, already in its groups', () => {
		expect(plan([hire()], [], [group('Care')], at('2026-12-27T12:00:00Z', { preHireDays: 7 })).steps).toEqual([]);
		const p = plan([hire()], [], [group('Care')], at('2026-12-28T12:00:00Z', { preHireDays: 7 }));
		expect(p.steps.map((s) => s.kind)).toEqual(['create', 'groupAdd']);
		expect(p.steps[0]).toMatchObject({ kind: 'create', user: { active: false }, groups: ['Care'] });
		expect(p.changes[0].attributes).toContainEqual({ path: 'active', before: undefined, after: false });
		expect(ruleOf(p)).toBe('preHireCreate');
		expect(p.userChanges[0].reasons).toEqual(['preHireCreate']);
	});

	test('Create Pre-hires 0 is "on the day": the same as off before it', () => {
		expect(plan([hire()], [], [], at('2027-01-03T12:00:00Z', { preHireDays: 0 })).steps).toEqual([]);
	});

	test('the inactive pre-hire account is updated but stays inactive until the start date, then is activated', () => {
		const u = plekUser('new', { active: false, title: 'Old' });
		const waiting = plan([hire({ profile: { title: 'Nurse' } })], [u], [group('Care', [u])], at('2027-01-03T22:59:00Z', { preHireDays: 7 }));
		expect(waiting.steps.map((s) => s.kind)).toEqual(['update']);
		expect(ruleOf(waiting)).toBe('preHireWaiting');
		// 2027-01-03T23:00Z is midnight in Amsterdam: the start date has come.
		const started = plan([hire({ profile: { title: 'Nurse' } })], [u], [group('Care', [u])], at('2027-01-03T23:00:00Z', { preHireDays: 7 }));
		expect(started.steps.map((s) => s.kind)).toEqual(['update', 'reactivate']);
		expect(started.userChanges[0].operations).toContainEqual({ op: 'replace', path: 'active', value: true });
	});

	test('the day is taken in the Sync time zone', () => {
		const now = '2027-01-03T23:30:00Z'; // 2027-01-04 in Amsterdam, still 2027-01-03 in New York
		expect(plan([hire()], [], [], at(now)).steps.map((s) => s.kind)).toEqual(['create']);
		expect(plan([hire()], [], [], { now, timeZone: 'America/New_York' }).steps).toEqual([]);
		// A bare date as the clock is that day in any zone.
		expect(plan([hire()], [], [], { now: START, timeZone: 'Pacific/Kiritimati' }).steps.map((s) => s.kind)).toEqual(['create']);
	});

	test('an active Plek account is never deactivated because its start date lies ahead (a returner, a new contract)', () => {
		const u = plekUser('new');
		expect(plan([hire({ groups: [] })], [u], [], at('2026-12-01T12:00:00Z', { preHireDays: 7 })).steps).toEqual([]);
	});

	test('no start date, or one that has passed: the normal rules (an inactive user is reactivated)', () => {
		const u = plekUser('new', { active: false });
		for (const startDate of [undefined, null, '', '2020-01-01']) {
			const p = plan([record('new', { startDate })], [u], [], at('2027-01-01T12:00:00Z', { preHireDays: 7 }));
			expect(p.steps.map((s) => s.kind)).toEqual(['reactivate']);
		}
	});

	test('create switched off wins; a due pre-hire without userName is reported, one not yet due is not', () => {
		expect(ruleOf(plan([hire()], [], [], at('2027-01-01T12:00:00Z', { preHireDays: 7, create: false })))).toBe('createSwitchedOff');
		expect(plan([hire({ userName: undefined })], [], [], at('2027-01-01T12:00:00Z', { preHireDays: 7 })).issues).toHaveLength(1);
		expect(plan([hire({ userName: undefined })], [], [], at('2026-12-01T12:00:00Z', { preHireDays: 7 })).issues).toEqual([]);
	});
});

describe('a rescinded hire is never left active', () => {
	test('inactive in the source before the start date: not created; an existing pre-hire account stays inactive', () => {
		const options = at('2027-01-01T12:00:00Z', { preHireDays: 7 });
		expect(plan([hire({ active: false })], [], [], options).steps).toEqual([]);
		const u = plekUser('new', { active: false });
		const p = plan([hire({ active: false })], [u], [], options);
		expect(p.steps).toEqual([]);
		expect(ruleOf(p)).toBe('alreadyInactive');
	});

	test('an active account of a withdrawn hire is deactivated (the leaver rule)', () => {
		const u = plekUser('new');
		const p = plan([hire({ active: false })], [u], [], at('2027-01-01T12:00:00Z', { preHireDays: 7 }));
		expect(p.steps.map((s) => s.kind)).toEqual(['deactivate']);
	});

	test('gone from the source: the inactive pre-hire account is never activated, even after the start date', () => {
		const u = plekUser('new', { active: false });
		const others = [plekUser('a'), plekUser('b')];
		for (const now of ['2027-01-01T12:00:00Z', '2027-02-01T12:00:00Z']) {
			const p = plan([record('a', { userName: others[0].userName, profile: {} }), record('b', { userName: others[1].userName, profile: {} })], [u, ...others], [], at(now, { preHireDays: 7, deactivateMissing: true }));
			expect(p.steps).toEqual([]);
		}
	});
});

describe('the clock and the options', () => {
	test('defaults: off, Europe/Amsterdam; junk falls back', () => {
		expect(preHireRules({})).toMatchObject({ daysAhead: -1, timeZone: 'Europe/Amsterdam' });
		expect(preHireRules({ preHireDays: 3.7, timeZone: 'Mars/Olympus' })).toMatchObject({ daysAhead: 3, timeZone: 'Europe/Amsterdam' });
		expect(preHireRules({ timeZone: ' UTC ', now: '2027-01-04T00:30:00+02:00' }).today()).toBe('2027-01-03');
	});

	test('the clock is read only when a record has a start date, once per plan', () => {
		const spy = jest.spyOn(Date, 'now');
		plan([record('k1')], [], [], {});
		expect(spy).not.toHaveBeenCalled();
		plan([hire(), hire({ key: 'k2', userName: 'k2@acme.nl' })], [], [], {});
		expect(spy).toHaveBeenCalledTimes(1);
		spy.mockRestore();
	});

	test('Explain says why and when', () => {
		const p = plan([hire()], [], [], at('2026-12-20T12:00:00Z', { preHireDays: 7, explainKey: 'new' }));
		expect(p.explanation?.join('\n')).toContain('Start date "2027-01-04" is 15 day(s) away (today is 2026-12-20 in Europe/Amsterdam): more than 7 days ahead (Create Pre-hires), not created yet.');
		const due = plan([hire()], [], [], at('2027-01-01T12:00:00Z', { preHireDays: 7, explainKey: 'new' }));
		expect(due.explanation?.join('\n')).toContain('within Create Pre-hires (7 days ahead) -> create inactive; activated on the start date.');
	});
});

describe('convergence: apply, plan again, nothing to write', () => {
	test('created inactive ahead, nothing on the next days, activated on the day, nothing after', async () => {
		const directory = new FakeDirectory([], [group('Care')]);
		const records = [hire()];
		const run = async (now: string) => (await syncOnce(records, directory, at(now, { preHireDays: 7 }))).summary;
		expect((await run('2026-12-20T12:00:00Z')).done.create).toBe(0);
		const created = await run('2026-12-28T12:00:00Z');
		expect(created.done).toMatchObject({ create: 1, groupAdd: 1 });
		const [u] = [...directory.users.values()];
		expect(u).toMatchObject({ externalId: 'new', active: false });
		directory.writes = [];
		await run('2027-01-02T12:00:00Z');
		expect(directory.writes).toEqual([]);
		expect((await run('2027-01-04T07:00:00Z')).done.reactivate).toBe(1);
		expect(directory.users.get(u.id)?.active).toBe(true);
		directory.writes = [];
		await run('2027-01-04T07:00:00Z');
		await run('2027-03-01T07:00:00Z');
		expect(directory.writes).toEqual([]);
	});
});
