// Issue 11's hostile-input fixes to the record contract: bidirectional control characters, homoglyph e-mail
// addresses (Latin mixed with Cyrillic or Greek in one part), and a bound on the groups of one record.
import { checkProfilePath, parseUserRecord } from '../../core/record';
import { ENTERPRISE as ENT } from '../support/scim';

const base = { key: 'k1', userName: 'ann@acme.nl', active: true, profile: { 'name.givenName': 'Ann' } as Record<string, unknown> };
const problems = (record: Record<string, unknown>) => {
	const result = parseUserRecord(record);
	return result.ok ? [] : result.problems;
};

describe('bidirectional control characters', () => {
	it.each([['202E', '\u202e'], ['202A', '\u202a'], ['2066', '\u2066'], ['2069', '\u2069'], ['200F', '\u200f'], ['061C', '\u061c']])('U+%s is refused in values, userNames, keys and group names', (_code, c) => {
		expect(problems({ ...base, profile: { 'name.familyName': `evil${c}gnp.exe` } })).toEqual([expect.stringMatching(/name\.familyName contains bidirectional control characters/)]);
		expect(problems({ ...base, userName: `ann${c}@acme.nl` })).toEqual([expect.stringMatching(/userName contains bidirectional/)]);
		expect(problems({ ...base, key: `k${c}1` })).toEqual([expect.stringMatching(/mapping key contains bidirectional/)]);
		expect(problems({ ...base, groups: [`${c}Admins`] })).toEqual([expect.stringMatching(/group name .* contains bidirectional/)]);
	});

	it('right-to-left text itself is fine', () => {
		expect(problems({ ...base, profile: { 'name.givenName': 'مريم', 'name.familyName': 'כהן' } })).toEqual([]);
	});
});

describe('homoglyph e-mail addresses', () => {
	it.each([
		['аdmin@acme.nl', 'аdmin'], // Cyrillic а
		['admin@acme-cοrp.nl', 'acme-cοrp'], // Greek ο
		['admin@acmе.nl', 'acmе'], // Cyrillic е in the domain
	])('%s is refused as a look-alike, naming the part', (email, part) => {
		expect(problems({ ...base, userName: email })).toEqual([expect.stringContaining(`mixes Latin with Cyrillic or Greek letters in "${part}"`)]);
		expect(problems({ ...base, profile: { 'emails[type eq "work"].value': email } })).toEqual([
			expect.stringMatching(/^emails\[type eq "work"\]\.value .* mixes Latin with Cyrillic or Greek/),
		]);
	});

	it.each(['jürgen.müller@acme.nl', 'иван@пример.рф', 'ΑΒΓ@παράδειγμα.ελ', 'ivan@пример.рф'])('%s (each part in one script) passes', (email) => {
		expect(problems({ ...base, userName: email })).toEqual([]);
	});

	it('Cyrillic in a non-e-mail value is not an e-mail problem', () => {
		expect(problems({ ...base, profile: { title: 'Mixed Latin and Кириллица' } })).toEqual([]);
	});
});

describe('groups per record', () => {
	it('1,000 groups pass, 1,001 are refused with the count', () => {
		const groups = (n: number) => Array.from({ length: n }, (_, i) => `G${i}`);
		expect(problems({ ...base, groups: groups(1000) })).toEqual([]);
		expect(problems({ ...base, groups: groups(1001) })).toEqual(['"groups" names 1001 groups; at most 1000 per person (check the group rules)']);
	});
});

describe('path segments named __proto__, constructor or prototype (issue 22)', () => {
	it.each([
		['name.constructor', 'constructor'],
		['prototype.x', 'prototype'],
		['constructor.prototype', 'constructor'],
		['name.__proto__', '__proto__'],
		['emails[type eq "work"].Prototype', 'Prototype'],
		['emails[constructor eq "work"].value', 'constructor'],
		[`${ENT}:constructor`, 'constructor'],
		[`${ENT}:manager.__PROTO__`, '__PROTO__'],
		['CONSTRUCTOR', 'CONSTRUCTOR'],
	])('%s is refused by its segment name, in the record, createOnly and the profile path rule', (path, segment) => {
		const found = problems({ ...base, profile: { [path]: 'x' } });
		expect(found).toEqual([`profile path "${path}" is refused: ${path} has a segment named '${segment}', a reserved name (__proto__, constructor and prototype are never SCIM attribute names)`]);
		expect(found.join()).not.toMatch(/function|native code/);
		expect(checkProfilePath(path)).toMatch(/a reserved name/);
		expect(problems({ ...base, createOnly: [path] }).join()).toMatch(/a reserved name/);
	});

	it('the root cause is gone: no path finds an Object.prototype member (toString, hasOwnProperty, valueOf...)', () => {
		for (const path of ['toString', 'hasOwnProperty.x', 'valueOf', 'isPrototypeOf']) {
			expect([path, checkProfilePath(path)]).toEqual([path, undefined]);
		}
	});

	it('a filter value that happens to be such a word is a value, not a segment', () => {
		expect(checkProfilePath('emails[type eq "constructor"].value')).toBeUndefined();
		expect(problems({ ...base, profile: { title: 'constructor', 'name.familyName': '__proto__' } })).toEqual([]);
	});
});
