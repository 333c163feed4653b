// Start dates in the Mapper: $startDate() / $daysUntil() (core/mapping/helpers.ts), the Start Date of Fields mode,
// startDate in Document mode, and the record contract's YYYY-MM-DD rule (core/record).
import { compileMapping, evaluateExpression, mapRecord } from '../../core/mapping';
import { compileFastPath, DEFER } from '../../core/mapping/fastpath';
import { mapperHelpers } from '../../core/mapping/helpers';
import { parseUserRecord } from '../../core/record';
import jsonata from 'jsonata';
import { NOW } from './fixtures';

const run = (expression: string, input: unknown = {}) => evaluateExpression(expression, input, { now: NOW, defaultTimeZone: 'Europe/Amsterdam' });

describe('$startDate', () => {
	test.each([
		['"2027-01-04"', '2027-01-04'],
		['"2027-1-4"', undefined], // neither a date nor day-first: an error (below)
	])('%s', async (expression, expected) => {
		if (expected === undefined) await expect(run(`$startDate(${expression})`)).rejects.toThrow(/cannot read '2027-1-4' as a date/);
		else expect(await run(`$startDate(${expression})`)).toBe(expected);
	});

	test('day-first by default; month-first only when asked; impossible dates are errors', async () => {
		expect(await run('$startDate("03/04/2027")')).toBe('2027-04-03');
		expect(await run('$startDate("03/04/2027", "mm/dd/yyyy")')).toBe('2027-03-04');
		await expect(run('$startDate("12/31/2027", "mm/dd/yyyy")')).resolves.toBe('2027-12-31');
		await expect(run('$startDate("31/13/2027", "mm/dd/yyyy")')).rejects.toThrow(/in the format mm\/dd\/yyyy/);
		await expect(run('$startDate("30-02-2027")')).rejects.toThrow(/cannot read '30-02-2027' as a date/);
		await expect(run('$startDate("20270230")')).rejects.toThrow(/as a date/);
	});

	test('Excel serials: 61 = 1900-03-01 up to 9999-12-31; serials below 61 and fractions are refused', async () => {
		expect(await run('$startDate(61)')).toBe('1900-03-01');
		expect(await run('$startDate(45658)')).toBe('2025-01-01');
		expect(await run('$startDate(2958465, "excel")')).toBe('9999-12-31');
		await expect(run('$startDate(60)')).rejects.toThrow(/not an Excel date serial/);
		await expect(run('$startDate("46391.5", "excel")')).rejects.toThrow(/as a date in the format excel/);
	});

	test('an explicit format reads only that format; an unknown format is an error', async () => {
		await expect(run('$startDate("2027-01-04", "yyyymmdd")')).rejects.toThrow(/in the format yyyymmdd/);
		expect(await run('$startDate("2027-01-04T09:00:00", "iso")')).toBe('2027-01-04');
		await expect(run('$startDate("2027-01-04", "dd-mm-yy")')).rejects.toThrow(/unknown format 'dd-mm-yy'/);
	});

	test('missing, null, empty -> nothing; objects and booleans are errors; LDAP lists take the first value', async () => {
		expect(await run('$startDate(nothing)')).toBeUndefined();
		expect(await run('$startDate(x)', { x: null })).toBeUndefined();
		expect(await run('$startDate(x)', { x: '  ' })).toBeUndefined();
		expect(await run('$startDate(x)', { x: ['20270104', '20280101'] })).toBe('2027-01-04');
		await expect(run('$startDate(x)', { x: true })).rejects.toThrow(/cannot read true as a date/);
		await expect(run('$startDate(x)', { x: { d: 1 } })).rejects.toThrow(/as a date/);
	});
});

describe('$startDate never guesses (issue 22 item 9)', () => {
	test('a plausible year is never read as an Excel serial: an error naming the value and the way to say it is one', async () => {
		for (const year of ['2027', '1900', '2199']) {
			await expect(run(`$startDate(${year})`)).rejects.toThrow(new RegExp(`\\$startDate: ${year} looks like a year, not a date; .*'excel'`));
			await expect(run('$startDate(x)', { x: year })).rejects.toThrow(/looks like a year/);
		}
		// Asked for explicitly, the serial is read; next to the year range, serials are read as before.
		expect(await run('$startDate(2027, "excel")')).toBe('1905-07-19');
		expect(await run('$startDate(1899)')).toBe('1905-03-13');
		expect(await run('$startDate(2200)')).toBe('1906-01-08');
		expect(await run('$startDate(46391)')).toBe('2027-01-04');
	});

	test('yyyymmdd is read as a date or refused, never as milliseconds or a serial; other digit runs ask for the format', async () => {
		expect(await run('$startDate(20270104)')).toBe('2027-01-04');
		expect(await run('$startDate("20270104")')).toBe('2027-01-04');
		await expect(run('$startDate(20271304)')).rejects.toThrow(/cannot read 20271304 as a date/);
		await expect(run('$startDate(202701)')).rejects.toThrow(/cannot tell what date 202701 is .*'yyyymmdd'/);
		await expect(run('$startDate("2027010")')).rejects.toThrow(/cannot tell what date 2027010 is/);
		// Milliseconds since 1970 (a number of 12+ digits) and LDAP generalized time still read.
		expect(await run('$startDate(x)', { x: Date.UTC(2027, 0, 4, 9) })).toBe('2027-01-04');
		expect(await run('$startDate("20270104090000")')).toBe('2027-01-04');
	});

	test('the same moment gives the same day in auto and iso modes (Europe/Amsterdam)', async () => {
		for (const [moment, day] of [
			['2027-01-03T23:30:00Z', '2027-01-04'], // 00:30 on 4 January in Amsterdam
			['2027-01-04T00:00:00Z', '2027-01-04'], // AFAS writes Amsterdam dates with a Z
			['2027-01-04T00:30:00+01:00', '2027-01-04'],
			['2027-01-04T23:30:00', '2027-01-04'], // no zone: the day written, whatever the machine's zone
			['2027-06-30T22:00:00.000Z', '2027-07-01'],
		]) {
			expect([moment, await run('$startDate(x)', { x: moment })]).toEqual([moment, day]);
			expect([moment, await run('$startDate(x, "iso")', { x: moment })]).toEqual([moment, day]);
			expect([moment, await run('$toIsoDate(x)', { x: moment })]).toEqual([moment, day]);
		}
	});

	test('dd-mm-yyyy stays supported in auto and in its own format', async () => {
		expect(await run('$startDate("04-01-2027")')).toBe('2027-01-04');
		expect(await run('$startDate("4-1-2027")')).toBe('2027-01-04');
		expect(await run('$startDate("04-01-2027", "dd-mm-yyyy")')).toBe('2027-01-04');
		await expect(run('$startDate("04-01-2027", "iso")')).rejects.toThrow(/in the format iso/);
	});
});

describe('$daysUntil', () => {
	test('counts calendar days in the zone (today is 2024-06-01, 10:00 UTC)', async () => {
		expect(await run('$daysUntil("2024-06-02")')).toBe(1);
		expect(await run('$daysUntil("2025-06-01")')).toBe(365);
		expect(await run('$daysUntil("2024-05-01")')).toBe(-31);
		expect(await run('$daysUntil(x)', {})).toBeUndefined();
		// 2024-06-01T10:00Z is already 2 June in Kiritimati (UTC+14).
		expect(await run('$daysUntil("2024-06-02", "Pacific/Kiritimati")')).toBe(0);
		await expect(run('$daysUntil("someday")')).rejects.toThrow(/\$daysUntil: cannot read 'someday' as a date/);
	});

	test('the fast path answers like jsonata, and defers (to jsonata\'s error) when the helper throws', () => {
		const helpers = mapperHelpers(NOW, 'Europe/Amsterdam');
		const fast = compileFastPath(jsonata('$daysUntil(startDate) <= 7').ast(), helpers);
		expect(fast).toBeDefined();
		expect(fast!({ startDate: '2024-06-05' })).toBe(true);
		expect(fast!({ startDate: '2024-07-05' })).toBe(false);
		expect(fast!({ startDate: 'garbage' })).toBe(DEFER);
	});
});

describe('the Mapper writes startDate', () => {
	const fields = { key: 'id', userName: 'mail', active: 'true' };

	test('Fields mode: Start Date', async () => {
		const mapping = compileMapping({ ...fields, startDate: '$startDate(hired)' }, { now: NOW });
		expect(await mapRecord(mapping, { id: '1', mail: 'a@acme.nl', hired: '04-01-2027' })).toMatchObject({ ok: true, record: { startDate: '2027-01-04' } });
		const none = await mapRecord(mapping, { id: '1', mail: 'a@acme.nl' });
		expect(none.ok && 'startDate' in none.record).toBe(false);
	});

	test('Fields mode: a start date the helper cannot read, or a value that is no YYYY-MM-DD, makes the record invalid naming the field', async () => {
		const helper = await mapRecord(compileMapping({ ...fields, startDate: '$startDate(hired)' }), { id: '1', mail: 'a@acme.nl', hired: 'next monday' });
		expect(helper).toMatchObject({ ok: false, field: 'startDate', expression: '$startDate(hired)' });
		const raw = await mapRecord(compileMapping({ ...fields, startDate: 'hired' }), { id: '1', mail: 'a@acme.nl', hired: '04-01-2027' });
		expect(raw).toMatchObject({ ok: false, field: 'startDate' });
		expect(!raw.ok && raw.reason).toContain('"startDate" must be a date written YYYY-MM-DD (got \'04-01-2027\'); in the Plek Mapper convert it with $startDate()');
	});

	test('Document mode: startDate is a record field', async () => {
		const mapping = compileMapping({ document: '{"key": id, "userName": mail, "active": true, "startDate": $startDate(hired)}' });
		expect(await mapRecord(mapping, { id: '1', mail: 'a@acme.nl', hired: 20270104 })).toMatchObject({ ok: true, record: { startDate: '2027-01-04' } });
	});
});

describe('the record contract', () => {
	const base = { key: 'k', userName: 'k@acme.nl', active: true };
	test('startDate: YYYY-MM-DD, or null / empty for none', () => {
		expect(parseUserRecord({ ...base, startDate: '2027-01-04' })).toMatchObject({ ok: true, record: { startDate: '2027-01-04' } });
		for (const none of [null, '', undefined]) expect(parseUserRecord({ ...base, startDate: none })).toMatchObject({ ok: true, record: { startDate: undefined } });
		for (const bad of ['2027-02-30', '04-01-2027', '2027-01-04T00:00:00Z', 20270104]) {
			const result = parseUserRecord({ ...base, startDate: bad });
			expect(result.ok).toBe(false);
			expect(!result.ok && result.problems.join()).toMatch(/"startDate" must be a date written YYYY-MM-DD/);
		}
	});
});
