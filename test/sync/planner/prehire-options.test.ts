// The pre-hire options read one by one: the clock (`now`), the days ahead and the time zone.
import { daysUntilStart, preHireRules, readInstant } from '../../../core/sync/planner/prehires';
import type { ParsedUserRecord } from '../../../core/record';
import { plan, record } from './helpers';

const NOON = Date.parse('2027-01-03T12:00:00Z');

describe('readInstant', () => {
	test('a Date, milliseconds or an ISO text (spaces around it ignored)', () => {
		expect(readInstant(new Date(NOON))).toBe(NOON);
		expect(readInstant(NOON)).toBe(NOON);
		expect(readInstant(' 2027-01-03T12:00:00Z ')).toBe(NOON);
	});

	test('an invalid Date, an infinite number, blank or unparsable text, or anything else is no instant', () => {
		for (const value of [new Date('nonsense'), Number.POSITIVE_INFINITY, Number.NaN, '', '   ', 'tomorrow', null, undefined, {}]) {
			expect(readInstant(value)).toBeUndefined();
		}
	});
});

describe('preHireRules', () => {
	test('days ahead: whole days; a missing, infinite or non-number value is Create Pre-hires off (-1)', () => {
		expect(preHireRules({ preHireDays: 7.9 }).daysAhead).toBe(7);
		expect(preHireRules({ preHireDays: 0 }).daysAhead).toBe(0);
		for (const preHireDays of [undefined, Number.POSITIVE_INFINITY, Number.NaN, '7']) {
			expect(preHireRules({ preHireDays: preHireDays as never }).daysAhead).toBe(-1);
		}
	});

	test('the time zone is trimmed; an unknown one is the default', () => {
		expect(preHireRules({ timeZone: ' America/Los_Angeles ' }).timeZone).toBe('America/Los_Angeles');
		expect(preHireRules({ timeZone: 'Mars/Olympus' }).timeZone).toBe('Europe/Amsterdam');
	});

	test('today: the instant\'s date in the time zone', () => {
		expect(preHireRules({ now: '2027-01-03T04:00:00Z', timeZone: 'America/Los_Angeles' }).today()).toBe('2027-01-02');
		expect(preHireRules({ now: new Date('2027-01-03T04:00:00Z') as never, timeZone: 'Asia/Tokyo' }).today()).toBe('2027-01-03');
	});

	test('a bare date (spaces ignored) is today in any time zone', () => {
		expect(preHireRules({ now: '2027-01-03', timeZone: 'America/Los_Angeles' }).today()).toBe('2027-01-03');
		expect(preHireRules({ now: ' 2027-01-03 ', timeZone: 'America/Los_Angeles' }).today()).toBe('2027-01-03');
	});
});

describe('daysUntilStart', () => {
	test('without pre-hire rules there is nothing to wait for', () => {
		expect(daysUntilStart({ key: 'a', startDate: '2027-01-04' } as unknown as ParsedUserRecord, undefined)).toBeUndefined();
		expect(daysUntilStart({ key: 'a', startDate: '2027-01-04' } as unknown as ParsedUserRecord, preHireRules({ now: '2027-01-01' }))).toBe(3);
	});
});

describe('Explain of a pre-hire not created yet', () => {
	const explain = (preHireDays?: number) =>
		(plan([record('new', { startDate: '2027-01-04' })], [], [], { now: '2027-01-01', preHireDays, explainKey: 'new' }).explanation ?? []).join('\n');
	test('names the days ahead when Create Pre-hires is on (even at 0), says it is off otherwise', () => {
		expect(explain(0)).toContain('more than 0 days ahead (Create Pre-hires), not created yet.');
		expect(explain(2)).toContain('more than 2 days ahead (Create Pre-hires), not created yet.');
		expect(explain()).toContain('not created before the start date (Create Pre-hires is off).');
	});
});
