// The one record contract (core/record): parseUserRecord against docs/plek-user-record.schema.json, and the
// former disagreements between the Mapper, the Sync and the Plek node, each as its own test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compileMapping, mapRecord } from '../../core/mapping';
import { checkProfilePath, DEFAULT_RECORD_LIMITS, equalIgnoringCase, hasControlCharacter, parseUserRecord, recordEmails } from '../../core/record';
import { checkSchema } from '../mapping/schemaCheck';
import { ENTERPRISE as ENT } from '../support/scim';

const schema = JSON.parse(readFileSync(join(__dirname, '../../docs/plek-user-record.schema.json'), 'utf8'));

const base = { key: 'k1', userName: 'jan@acme.nl', active: true, profile: { 'name.givenName': 'Jan' }, createOnly: [], groups: ['Care'] };
const problems = (raw: unknown) => {
	const result = parseUserRecord(raw);
	return result.ok ? [] : result.problems;
};

describe('parseUserRecord and the JSON Schema agree', () => {
	// Records the schema can judge: what it refuses, the parser refuses; what the parser accepts, the schema accepts.
	const cases: Array<[string, unknown]> = [
		['a complete record', base],
		['only key and active', { key: 'k', active: true }],
		['no key', { active: true, profile: {} }],
		['empty key', { ...base, key: '' }],
		['key of 2,048 characters', { ...base, key: 'k'.repeat(2048) }],
		['key of 2,049 characters', { ...base, key: 'k'.repeat(2049) }],
		['numeric key', { ...base, key: 42 }],
		['active as text', { ...base, active: 'true' }],
		['userName of 2,049 characters', { ...base, userName: `${'u'.repeat(2040)}@acme.nl` }],
		['empty userName', { ...base, userName: '' }],
		['value of 2,049 characters', { ...base, profile: { title: 'x'.repeat(2049) } }],
		['object value', { ...base, profile: { title: { a: 1 } } }],
		['list value', { ...base, profile: { title: ['a'] } }],
		['null value', { ...base, profile: { title: null } }],
		['unknown record field', { ...base, department: 'Care' }],
		['groups as text', { ...base, groups: 'Care' }],
		['empty group name', { ...base, groups: [''] }],
		['group name of 2,049 characters', { ...base, groups: ['g'.repeat(2049)] }],
		['createOnly as text', { ...base, createOnly: 'title' }],
		['empty createOnly entry', { ...base, createOnly: [''] }],
		['profile as a list', { ...base, profile: ['title'] }],
	];
	test.each(cases)('%s', (_name, raw) => {
		const bySchema = checkSchema(schema, raw);
		const byParser = problems(raw);
		if (bySchema.length > 0) expect(byParser).not.toEqual([]);
		if (byParser.length === 0) expect(bySchema).toEqual([]);
	});

	test('the schema and the parser use the same length limit', () => {
		expect(schema.properties.key.maxLength).toBe(DEFAULT_RECORD_LIMITS.maxStringLength);
		expect(schema.properties.userName.maxLength).toBe(DEFAULT_RECORD_LIMITS.maxStringLength);
		expect(schema.properties.profile.additionalProperties.maxLength).toBe(DEFAULT_RECORD_LIMITS.maxStringLength);
		expect(schema.properties.groups.items.maxLength).toBe(DEFAULT_RECORD_LIMITS.maxStringLength);
	});

	test('rules the schema cannot express are refused naming the field', () => {
		expect(problems({ ...base, key: 'a\u0085b' }).join()).toMatch(/mapping key contains control characters/);
		expect(problems({ ...base, userName: 'jan jansen' }).join()).toMatch(/userName 'jan jansen' is neither an e-mail address nor a plain login/);
		expect(problems({ ...base, profile: { 'emails[type eq "work"].value': 'not-mail' } }).join()).toMatch(/not a valid e-mail address/);
		expect(problems({ ...base, profile: { title: 'a', Title: 'b' } }).join()).toMatch(/"title" and "Title" address the same attribute/);
		expect(problems({ ...base, createOnly: ['title'] }).join()).toMatch(/createOnly: entry "title" is not a path in profile/);
		expect(problems({ ...base, profile: { 'emails[type eq "work"]': 'x' } }).join()).toMatch(/addresses a whole element/);
	});
});

describe('a valid record parses into what the planner needs', () => {
	test('paths parsed once per run and shared; createOnly as path keys; groups deduplicated case-insensitively', () => {
		const cache = new Map();
		const raw = { ...base, profile: { 'Name.GivenName': 'Jan', 'emails[type eq "Work"].value': 'jan@acme.nl' }, createOnly: ['Name.GivenName'], groups: ['Care', 'care', 'All'] };
		const a = parseUserRecord(raw, DEFAULT_RECORD_LIMITS, { cache });
		const b = parseUserRecord({ ...raw, key: 'k2' }, DEFAULT_RECORD_LIMITS, { cache });
		if (!a.ok || !b.ok) throw new Error('expected valid records');
		expect(a.record.paths[0]).toBe(b.record.paths[0]);
		expect(a.record.paths.map((p) => p.formatted)).toEqual(['Name.GivenName', 'emails[type eq "Work"].value']);
		expect(a.record.createOnly).toEqual(['name.givenname']);
		expect(a.record.groups).toEqual(['Care', 'All']);
		expect(a.record.profile).toBe(raw.profile);
		expect(recordEmails(a.record)).toEqual(['jan@acme.nl']);
	});

	test('a bad record gives every problem at once and its key', () => {
		const result = parseUserRecord({ key: 'k', active: 'yes', profile: { photos: 'x' }, groups: [7] });
		expect(result).toEqual({ ok: false, key: 'k', problems: [expect.stringMatching(/"active"/), expect.stringMatching(/photos/), expect.stringMatching(/group name 7/)] });
	});
});

describe('former disagreements between Mapper, Sync and the Plek node', () => {
	const mapping = (maxStringLength?: number) =>
		compileMapping(
			{ key: 'id', userName: 'mail', profile: [{ path: 'title', expression: 'title' }] },
			maxStringLength === undefined ? {} : { maxStringLength },
		);

	test('key length: one limit (2,048) for the Mapper and the record Sync reads', async () => {
		const key = 'k'.repeat(2000); // over Sync's former 1,024
		const mapped = await mapRecord(mapping(), { id: key, mail: 'jan@acme.nl', title: 'Nurse' });
		expect(mapped.ok).toBe(true);
		expect(parseUserRecord(mapped.ok ? mapped.record : undefined).ok).toBe(true);
		expect(problems({ ...base, key: 'k'.repeat(2049) }).join()).toMatch(/mapping key is longer than 2048 characters/);
	});

	test.each([['birthDate', /birthdates/], ['photos.value', /profile pictures/], [`${ENT}:dateOfBirth`, /birthdates/], ['photos', /profile pictures/]])(
		'refused path %s: by the record every node reads, as by the Mapper',
		(path, message) => {
			expect(problems({ ...base, profile: { [path]: 'x' } }).join()).toMatch(message);
			expect(checkProfilePath(path)).toMatch(message);
		},
	);

	test('date-typed fields from Plek\'s schema are refused by the same rule', () => {
		const index = new Map([['hiredate', { path: 'hireDate', type: 'dateTime' }]]);
		const result = parseUserRecord({ ...base, profile: { hireDate: '2026-01-01' } }, DEFAULT_RECORD_LIMITS, { schema: index });
		expect(result.ok ? [] : result.problems.join()).toMatch(/Plek does not sync date fields: hireDate/);
	});

	test('C1 control characters are refused everywhere, not only by the Mapper', () => {
		expect(problems({ ...base, key: 'k\u009b1' }).join()).toMatch(/control characters/);
		expect(problems({ ...base, userName: 'jan\u0085@acme.nl' }).join()).toMatch(/control characters/);
		expect(problems({ ...base, profile: { title: 'Nurse\u0080' } }).join()).toMatch(/title contains control characters/);
		expect(problems({ ...base, groups: ['Care\u0090'] }).join()).toMatch(/Care.*control characters/);
	});

	test.each(['__proto__', 'constructor', 'prototype'])('hostile name %s is rejected naming the field, not dropped', (name) => {
		const asProfile = JSON.parse(`{"key":"k","userName":"u","active":true,"profile":{"${name}":"x"}}`);
		expect(problems(asProfile).join()).toMatch(new RegExp(`'${name}' is a reserved name`));
		const asField = JSON.parse(`{"key":"k","userName":"u","active":true,"${name}":{"x":1}}`);
		expect(problems(asField).join()).toMatch(new RegExp(`record field "${name}" is not allowed`));
	});

	test('the Mapper applies the record limit it is given to every text (one limit: Max String Length)', async () => {
		const mapped = await mapRecord(mapping(10), { id: 'k1', mail: 'jan@acme.nl', title: 'Nurse' });
		expect(mapped.ok).toBe(false);
		expect(mapped.ok ? '' : mapped.reason).toMatch(/userName is longer than 10 characters/);
	});
});

describe('the record rules\' fast paths (a regex pre-check, code-point scans), same answers', () => {
	test('control characters: exactly U+0000-U+001F and U+007F-U+009F', () => {
		const refused: number[] = [];
		for (let code = 0; code <= 0x2ff; code++) if (hasControlCharacter(`a${String.fromCharCode(code)}b`)) refused.push(code);
		const expected = [...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)];
		expect(refused).toEqual(expected);
		expect(hasControlCharacter('')).toBe(false);
		expect(hasControlCharacter('\u2028 \ud83d\ude00 ok')).toBe(false);
		expect(hasControlCharacter('\t')).toBe(true);
	});

	test('equalIgnoringCase agrees with comparing lower-cased texts', () => {
		const texts = ['Care', 'care', 'CARE', 'Cares', 'Zorg', 'zorg ', 'İstanbul', 'i̇stanbul', 'istanbul', 'Ärzte', 'ärzte', 'K', 'k', '\u212a', '', 'a-b', 'A_B', 'a_b', '@', '`', '[', '{'];
		for (const a of texts) for (const b of texts) expect([a, b, equalIgnoringCase(a, b)]).toEqual([a, b, a.toLowerCase() === b.toLowerCase()]);
	});

	test('groups: a clean list is kept as given; repeats and bad names leave a copy without them, in order', () => {
		const clean = ['Care', 'All staff'];
		const kept = parseUserRecord({ ...base, groups: clean });
		expect(kept.ok && kept.record.groups).toBe(clean);
		const repeated = parseUserRecord({ ...base, groups: ['Care', 'Zorg', 'CARE', 'Kitchen', 'zorg', 'Night'] });
		expect(repeated.ok && repeated.record.groups).toEqual(['Care', 'Zorg', 'Kitchen', 'Night']);
		const first = parseUserRecord({ ...base, groups: ['care', 'Care'] });
		expect(first.ok && first.record.groups).toEqual(['care']);
		const bad = parseUserRecord({ ...base, groups: ['Care', '', 'care', 'Night', 7, 'NIGHT', 'Day'] });
		expect(bad.ok).toBe(false);
		expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/group name "" /), expect.stringMatching(/group name 7 /)]);
		const empty = parseUserRecord({ ...base, groups: [] });
		expect(empty.ok && empty.record.groups).toEqual([]);
	});

	test('records with the same profile paths in the same order share one list; others get their own', () => {
		const cache = new Map();
		const parse = (profile: Record<string, string>, key: string) => {
			const result = parseUserRecord({ ...base, key, profile }, DEFAULT_RECORD_LIMITS, { cache });
			if (!result.ok) throw new Error(result.problems.join());
			return result.record.paths;
		};
		const a = parse({ title: 'A', 'name.givenName': 'Jan' }, 'k1');
		const b = parse({ title: 'B', 'name.givenName': 'Piet' }, 'k2');
		const c = parse({ 'name.givenName': 'Kees', title: 'C' }, 'k3');
		const d = parse({ title: 'D' }, 'k4');
		expect(b).toBe(a);
		expect(c).not.toBe(a);
		expect(c.map((p) => p.path)).toEqual(['name.givenName', 'title']);
		expect(a.map((p) => p.path)).toEqual(['title', 'name.givenName']);
		expect(d.map((p) => p.path)).toEqual(['title']);
		expect(parse({}, 'k5')).toEqual([]);
	});

	test('an e-mail value equal to a valid userName passes; equal to an invalid one, both are refused', () => {
		const work = 'emails[type eq "work"].value';
		expect(problems({ ...base, userName: 'jan@acme.nl', profile: { [work]: 'jan@acme.nl' } })).toEqual([]);
		expect(problems({ ...base, userName: 'jan@acme', profile: { [work]: 'jan@acme' } })).toEqual([
			"userName 'jan@acme' is not a valid e-mail address",
			`${work} 'jan@acme' is not a valid e-mail address`,
		]);
		expect(problems({ ...base, userName: 'аdmin@acme.nl', profile: { [work]: 'аdmin@acme.nl' } })).toHaveLength(2);
		// A login userName (no @) vouches for nothing; an absent value is still refused as one.
		expect(problems({ ...base, userName: 'jan', profile: { [work]: 'jan' } })).toEqual([`${work} 'jan' is not a valid e-mail address`]);
		expect(problems({ ...base, userName: undefined, profile: { [work]: undefined } })).toEqual([
			`profile value of "${work}" must be text, a number, true/false or null`,
		]);
	});

	test('a path entry from the previous record is reused only with the same cache (another run may have a schema)', () => {
		const parse = (cache: Map<string, unknown>, schema?: Map<string, { path: string; type: string }>) =>
			parseUserRecord({ ...base, profile: { title: 'A', nickName: 'J' } }, DEFAULT_RECORD_LIMITS, { cache: cache as never, schema: schema as never });
		expect(parse(new Map()).ok).toBe(true);
		const strict = parse(new Map(), new Map([['title', { path: 'title', type: 'string' }]]));
		expect(strict.ok ? [] : strict.problems).toEqual([expect.stringContaining("nickName is not a user attribute in Plek's schema")]);
	});

	test('two spellings of one attribute are refused also right after a record with the same first paths', () => {
		const cache = new Map();
		const parse = (profile: Record<string, string>) => parseUserRecord({ ...base, profile }, DEFAULT_RECORD_LIMITS, { cache });
		expect(parse({ title: 'A', 'name.givenName': 'Jan' }).ok).toBe(true);
		const twice = parse({ title: 'B', Title: 'C' });
		expect(twice.ok ? [] : twice.problems).toEqual(['profile paths "title" and "Title" address the same attribute']);
		expect(parse({ title: 'A', 'name.givenName': 'Jan' }).ok).toBe(true);
		const third = parse({ title: 'B', 'name.givenName': 'Jan', 'NAME.givenname': 'Piet' });
		expect(third.ok ? [] : third.problems).toEqual(['profile paths "name.givenName" and "NAME.givenname" address the same attribute']);
	});
});
