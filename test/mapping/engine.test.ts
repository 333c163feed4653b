// The mapping engine end to end: three kinds of source, both mapping modes, every validation rule.
import { readFileSync } from 'fs';
import { join } from 'path';

import {
	compileMapping,
	mapAll,
	mapRecord,
	MappingCompileError,
	type CompileOptions,
	type MapFailure,
	type MappingConfig,
	type MapResult,
} from '../../core/mapping';
import type { PlekUserRecord } from '../../core/types';
import {
	adDocument,
	adEntry,
	adExpected,
	adFields,
	csvDocument,
	csvExpected,
	csvFields,
	csvRow,
	ENTERPRISE,
	GUID,
	hrApiRecord,
	hrDocument,
	hrExpected,
	hrFields,
	NOW,
	WORK_EMAIL,
} from './fixtures';
import { checkSchema } from './schemaCheck';

const recordSchema = JSON.parse(readFileSync(join(__dirname, '../../docs/plek-user-record.schema.json'), 'utf8'));

const compile = (config: MappingConfig, options: CompileOptions = {}) => compileMapping(config, { now: NOW, ...options });

async function mapOne(config: MappingConfig, source: unknown, options: CompileOptions = {}): Promise<MapResult> {
	return mapRecord(compile(config, options), source);
}

async function expectRecord(config: MappingConfig, source: unknown, options: CompileOptions = {}): Promise<PlekUserRecord> {
	const result = await mapOne(config, source, options);
	if (!result.ok) throw new Error(`expected a record, got: ${result.reason}`);
	expect(checkSchema(recordSchema, result.record)).toEqual([]);
	return result.record;
}

async function expectInvalid(config: MappingConfig, source: unknown, options: CompileOptions = {}): Promise<MapFailure> {
	const result = await mapOne(config, source, options);
	if (result.ok) throw new Error(`expected an invalid record, got ${JSON.stringify(result.record)}`);
	return result;
}

/** A minimal fields mapping to vary one part at a time. */
const base = (overrides: Partial<Record<string, unknown>> = {}): MappingConfig => ({
	key: 'id',
	userName: 'mail',
	profile: [],
	...overrides,
});
const person = { id: 'e1', mail: 'jan@acme.nl' };

describe('the three kinds of source map to the documented record', () => {
	it.each([
		['AD entry, fields mode', adFields, adEntry(), adExpected],
		['AD entry, document mode', adDocument, adEntry(), adExpected],
		['CSV row, fields mode', csvFields, csvRow(), csvExpected()],
		['CSV row, document mode', csvDocument, csvRow(), csvExpected()],
		['HR API record, fields mode', hrFields, hrApiRecord(), hrExpected],
		['HR API record, document mode', hrDocument, hrApiRecord(), hrExpected],
	])('%s', async (_name, config, source, expected) => {
		expect(await expectRecord(config, source)).toEqual(expected);
	});

	it('reads the AD state: disabled via userAccountControl, expired via accountExpires', async () => {
		expect((await expectRecord(adFields, adEntry({ userAccountControl: '514' }))).active).toBe(false);
		expect((await expectRecord(adFields, adEntry({ accountExpires: '133497696000000000' }))).active).toBe(false);
	});

	it('reads the AD objectGUID also as the hex text the n8n LDAP node outputs', async () => {
		const hex = Buffer.from(adEntry().objectGUID as Buffer).toString('hex');
		expect((await expectRecord(adDocument, adEntry({ objectGUID: hex }))).key).toBe(GUID);
	});

	it('reads a CSV leaver: Actief=nee or a leave date in the past makes the record inactive', async () => {
		expect((await expectRecord(csvFields, csvRow({ Actief: 'nee' }))).active).toBe(false);
		expect((await expectRecord(csvFields, csvRow({ Uitdienst: '31-05-2024' }))).active).toBe(false);
		expect((await expectRecord(csvFields, csvRow({ Uitdienst: '' }))).active).toBe(true);
	});

	it('writes missing and empty source values as null profile values (fields mode)', async () => {
		const record = await expectRecord(csvFields, csvRow({ Functie: '' }));
		expect(record.profile.title).toBeNull();
	});

	it('uses the first e-mail profile value as userName when no User Name expression is set', async () => {
		const record = await expectRecord({ ...csvFields, userName: undefined }, csvRow());
		expect(record.userName).toBe('a.tenbrink@acme.nl');
	});

	it('dedupes and sorts groups', async () => {
		const record = await expectRecord({ document: `{"key": "k", "userName": "u", "groups": ["b", "a", "b", " a "]}` }, {});
		expect(record.groups).toEqual(['a', 'b']);
		expect(record.active).toBe(true);
	});
});

describe('compile errors name the expression and its position', () => {
	it('reports a syntax error in a profile field', () => {
		let error: unknown;
		try {
			compile(base({ profile: [{ path: 'name.givenName', expression: 'Voornaam &' }] }));
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(MappingCompileError);
		expect((error as MappingCompileError).message).toMatch(/profile field name\.givenName at position \d+/);
		expect((error as MappingCompileError).position).toBeGreaterThan(0);
	});
	it.each([
		['mapping key', base({ key: '(' })],
		['user name', base({ userName: 'a +' })],
		['group rule "Care"', base({ groups: [{ group: 'Care', condition: "department = 'Care" }] })],
		['document', { document: '{"key": }' }],
	])('names the %s', (name, config) => {
		expect(() => compile(config as MappingConfig)).toThrow(new RegExp(`Invalid JSONata in ${name.replace(/"/g, '"')}`));
	});
	it('requires a mapping key expression', () => {
		expect(() => compile(base({ key: '  ' }))).toThrow(/mapping key.*empty/);
	});
	it('refuses the same profile path twice (paths compare case-insensitively)', () => {
		const profile = [
			{ path: 'name.givenName', expression: 'a' },
			{ path: 'Name.GivenName', expression: 'b' },
		];
		expect(() => compile(base({ profile }))).toThrow(/mapped twice/);
	});
	it('refuses a malformed SCIM path', () => {
		expect(() => compile(base({ profile: [{ path: 'name.given.name', expression: 'a' }] }))).toThrow(/sub-attribute/);
	});
});

describe('validation per Plek rules (each lands as an invalid record with its reason)', () => {
	it('key is required', async () => {
		const failure = await expectInvalid(base(), { mail: 'jan@acme.nl' });
		expect(failure).toMatchObject({ field: 'key', expression: 'id' });
		expect(failure.reason).toMatch(/mapping key is empty/);
	});
	it('key must be non-empty after trimming', async () => {
		expect((await expectInvalid(base(), { id: '   ', mail: 'jan@acme.nl' })).reason).toMatch(/mapping key is empty/);
	});
	it('key is trimmed, and a number is converted to text', async () => {
		expect((await expectRecord(base(), { id: ' e1 ', mail: 'jan@acme.nl' })).key).toBe('e1');
		expect((await expectRecord(base(), { id: 42, mail: 'jan@acme.nl' })).key).toBe('42');
	});
	it('key must be text, not an object or list', async () => {
		const failure = await expectInvalid(base(), { id: { a: 1 }, mail: 'jan@acme.nl' });
		expect(failure.reason).toMatch(/mapping key must be text/);
		expect((await expectInvalid(base(), { id: ['a', 'b'], mail: 'jan@acme.nl' })).reason).toMatch(/must be text/);
	});
	it('userName is required', async () => {
		const failure = await expectInvalid(base({ userName: undefined }), { id: 'e1' });
		expect(failure).toMatchObject({ field: 'userName' });
		expect(failure.reason).toMatch(/userName is required/);
	});
	it('userName must be an e-mail address or a plain login', async () => {
		expect((await expectRecord(base(), { id: 'e1', mail: 'jberg' })).userName).toBe('jberg');
		expect((await expectInvalid(base(), { id: 'e1', mail: 'jan jansen' })).reason).toMatch(/neither an e-mail address nor a plain login/);
		expect((await expectInvalid(base(), { id: 'e1', mail: 'jan@acme' })).reason).toMatch(/not a valid e-mail address/);
		expect((await expectInvalid(base(), { id: 'e1', mail: 'ACME\\jan' })).field).toBe('userName');
	});
	it('e-mail profile values must be valid e-mail addresses', async () => {
		const config = base({ profile: [{ path: WORK_EMAIL, expression: 'work' }] });
		const failure = await expectInvalid(config, { ...person, work: 'jan@@acme.nl' });
		expect(failure).toMatchObject({ field: `profile.${WORK_EMAIL}`, expression: 'work' });
		expect(failure.reason).toMatch(/not a valid e-mail address/);
	});
	it('a helper that cannot read its input makes the record invalid with the helper message', async () => {
		const failure = await expectInvalid(base({ key: '$adGuid(guid)' }), { ...person, guid: 'abc' });
		expect(failure).toMatchObject({ field: 'key', expression: '$adGuid(guid)' });
		expect(failure.reason).toMatch(/mapping key: \$adGuid: cannot read 'abc' as an objectGUID/);
	});
	it.each(['photos', 'photos[type eq "photo"].value', 'thumbnailUrl', `${ENTERPRISE}:avatar`, 'profilePicture'])(
		'refuses profile pictures: %s',
		async (path) => {
			expect(() => compile(base({ profile: [{ path, expression: 'x' }] }))).toThrow(/Plek does not sync profile pictures/);
			const failure = await expectInvalid({ document: `{"key": "k", "userName": "u", "profile": {${JSON.stringify(path)}: "x"}}` }, {});
			expect(failure.reason).toMatch(/Plek does not sync profile pictures/);
			expect(failure.field).toBe(`profile.${path}`);
		},
	);
	it.each(['birthDate', 'birthday', 'urn:acme:params:scim:schemas:extension:hr:2.0:User:dateOfBirth'])(
		'refuses birthdates: %s',
		async (path) => {
			expect(() => compile(base({ profile: [{ path, expression: 'x' }] }))).toThrow(/Plek does not sync birthdates/);
			const failure = await expectInvalid({ document: `{"key": "k", "userName": "u", "profile": {${JSON.stringify(path)}: "1990-01-01"}}` }, {});
			expect(failure.reason).toMatch(/Plek does not sync birthdates/);
		},
	);
	describe('with Plek schema from /Schemas', () => {
		const schema = [
			{ path: 'name.givenName', type: 'string', mutability: 'readWrite' },
			{ path: 'name', type: 'complex', mutability: 'readWrite' },
			{ path: 'title', type: 'string', mutability: 'readWrite' },
			{ path: 'emails.value', type: 'string', mutability: 'readWrite', multiValued: true },
			{ path: `${ENTERPRISE}:startDate`, type: 'dateTime', mutability: 'readWrite' },
			{ path: `${ENTERPRISE}:employeeNumber`, type: 'string', mutability: 'readWrite' },
			{ path: 'meta.created', type: 'dateTime', mutability: 'readOnly' },
			{ path: 'urn:x:params:scim:schemas:extension:plek:2.0:User:headcount', type: 'integer' },
		];
		it('refuses attributes whose type is dateTime', async () => {
			const config = base({ profile: [{ path: `${ENTERPRISE}:startDate`, expression: "'2024-01-01'" }] });
			expect(() => compile(config, { schema })).toThrow(/Plek does not sync date fields/);
			const doc = { document: `{"key": "k", "userName": "u", "profile": {"${ENTERPRISE}:startDate": "2024-01-01"}}` };
			expect((await expectInvalid(doc, {}, { schema })).reason).toMatch(/dateTime attribute in Plek's schema/);
		});
		it('refuses unknown attribute paths only when a schema is given', async () => {
			const config = base({ profile: [{ path: 'nickName', expression: "'JJ'" }] });
			expect(() => compile(config, { schema })).toThrow(/not a user attribute in Plek's schema/);
			expect((await expectRecord(config, person)).profile.nickName).toBe('JJ');
		});
		it('refuses complex attributes without a sub-attribute and accepts filtered multi-valued paths', async () => {
			expect(() => compile(base({ profile: [{ path: 'name', expression: "'x'" }] }), { schema })).toThrow(/complex attribute/);
			const config = base({ profile: [{ path: WORK_EMAIL, expression: 'mail' }, { path: 'Name.GivenName', expression: "'Jan'" }] });
			expect((await expectRecord(config, person, { schema })).profile[WORK_EMAIL]).toBe('jan@acme.nl');
		});
		it('converts numbers for text attributes and checks numbers for integer attributes', async () => {
			const config = base({
				profile: [
					{ path: `${ENTERPRISE}:employeeNumber`, expression: '10042' },
					{ path: 'urn:x:params:scim:schemas:extension:plek:2.0:User:headcount', expression: 'n' },
				],
			});
			const record = await expectRecord(config, { ...person, n: 3 }, { schema });
			expect(record.profile[`${ENTERPRISE}:employeeNumber`]).toBe('10042');
			expect((await expectInvalid(config, { ...person, n: 'three' }, { schema })).reason).toMatch(/is a number in Plek's schema/);
		});
	});
	it('refuses over-long strings, naming the field (limit configurable)', async () => {
		const config = base({ profile: [{ path: 'title', expression: 'title' }] });
		const failure = await expectInvalid(config, { ...person, title: 'x'.repeat(2049) });
		expect(failure).toMatchObject({ field: 'profile.title' });
		expect(failure.reason).toMatch(/title is longer than 2048 characters/);
		expect((await expectRecord(config, { ...person, title: 'x'.repeat(2048) })).profile.title).toHaveLength(2048);
		expect((await expectInvalid(config, { ...person, title: 'x'.repeat(11) }, { maxStringLength: 10 })).reason).toMatch(/longer than 10/);
	});
	it('refuses control characters, naming the field', async () => {
		const config = base({ profile: [{ path: 'title', expression: 'title' }] });
		for (const bad of ['Nurse\u0000', 'Nu\nrse', 'Nurse\t', 'Nurse\u001b[31m', 'Nurse\u0085']) {
			const failure = await expectInvalid(config, { ...person, title: bad });
			expect(failure).toMatchObject({ field: 'profile.title' });
			expect(failure.reason).toMatch(/title contains control characters/);
		}
		expect((await expectInvalid(base(), { id: 'e\u00071', mail: 'jan@acme.nl' })).reason).toMatch(/mapping key contains control characters/);
	});
	it('profile values must be scalar: lists and objects are refused with the field named', async () => {
		const config = base({ profile: [{ path: 'title', expression: 'titles' }] });
		const list = await expectInvalid(config, { ...person, titles: ['Nurse', 'Coach'] });
		expect(list).toMatchObject({ field: 'profile.title', expression: 'titles' });
		expect(list.reason).toMatch(/title must be a single value.*a list of 2/);
		expect((await expectInvalid(config, { ...person, titles: { nl: 'Verpleegkundige' } })).reason).toMatch(/single value.*an object/);
	});
	it('active must be true or false', async () => {
		const failure = await expectInvalid(base({ active: 'Actief' }), { ...person, Actief: 'ja' });
		expect(failure).toMatchObject({ field: 'active', expression: 'Actief' });
		expect(failure.reason).toMatch(/active must be true or false.*\$toBool/);
		expect((await expectInvalid(base({ active: 'Actief' }), person)).reason).toMatch(/active is missing/);
	});
	it('document mode: the result must be one object with known record fields only', async () => {
		expect((await expectInvalid({ document: '[1,2]' }, {})).reason).toMatch(/must return one object/);
		const typo = await expectInvalid({ document: '{"key": "k", "username": "u"}' }, {});
		expect(typo).toMatchObject({ field: 'username' });
		expect(typo.reason).toMatch(/unknown record field 'username'/);
		const createOnly = await expectInvalid({ document: '{"key": "k", "userName": "u", "createOnly": ["title"]}' }, {});
		expect(createOnly.reason).toMatch(/createOnly entry text 'title' is not a path in profile/);
	});
	it('refuses a source record nested absurdly deep', async () => {
		let deep: Record<string, unknown> = { id: 'x' };
		for (let i = 0; i < 150; i++) deep = { child: deep, id: 'e1', mail: 'jan@acme.nl' };
		const failure = await expectInvalid(base(), deep);
		expect(failure).toMatchObject({ field: 'source' });
		expect(failure.reason).toMatch(/nested deeper than 100 levels/);
	});
});

describe('run-wide validation', () => {
	it('rejects ALL records that share a key (never "first wins") while the others map', async () => {
		const mapping = compile(csvFields);
		const rows = [
			csvRow(),
			csvRow({ Personeelsnummer: '10043', Email: 'b@acme.nl' }),
			csvRow({ Email: 'other@acme.nl' }),
			csvRow({ Personeelsnummer: ' 10042 ', Email: 'third@acme.nl' }),
		];
		const results = await mapAll(mapping, rows);
		expect(results.map((r) => r.ok)).toEqual([false, true, false, false]);
		for (const index of [0, 2, 3]) {
			expect(results[index]).toMatchObject({ ok: false, field: 'key', expression: 'Personeelsnummer' });
			expect((results[index] as MapFailure).reason).toMatch(/duplicate mapping key '10042': records 1, 3, 4/);
		}
	});
	it('keeps invalid records invalid for their own reason and does not count them as duplicates', async () => {
		const results = await mapAll(compile(csvFields), [csvRow(), csvRow({ Email: 'not an address' })]);
		expect(results[0].ok).toBe(true);
		expect((results[1] as MapFailure).reason).toMatch(/not a valid e-mail address/);
	});
});

describe('bounded evaluation', () => {
	it('stops the endless recursion ($f calls itself forever) with a bounded-evaluation error', async () => {
		const endless = '($f := function($x){$f($x)}; $f(1))';
		const started = Date.now();
		const failure = await expectInvalid(base({ key: endless }), person, { timeoutMs: 200 });
		expect(failure).toMatchObject({ field: 'key', expression: endless });
		expect(failure.reason).toMatch(/bounded evaluation: the record took longer than 200 ms/);
		// Loose: it returned, and not after some unrelated default. No tight timing here (see bench/).
		expect(Date.now() - started).toBeLessThan(20000);
	});
	it('stops non-tail recursion at the depth limit', async () => {
		const failure = await expectInvalid(base({ key: '($f := function($x){1 + $f($x)}; $f(1))' }), person, { maxDepth: 50 });
		expect(failure.reason).toMatch(/bounded evaluation: the expression nests deeper than 50 levels/);
	});
	it('shares one time budget across all expressions of a record, and a new budget per record', async () => {
		const config = base({ profile: [{ path: 'title', expression: '($f := function($x){$f($x)}; $f(1))' }] });
		const mapping = compile(config, { timeoutMs: 100 });
		const results = await mapAll(mapping, [person, { ...person, id: 'e2' }]);
		expect(results.every((r) => !r.ok && /bounded evaluation/.test(r.reason))).toBe(true);
		expect((results[1] as MapFailure).field).toBe('profile.title');
	});
	it('does not let an expression disable the guard by rebinding its variable', async () => {
		const failure = await expectInvalid(base({ key: '($__plekBudget := 1; id)' }), person);
		expect(failure.reason).toMatch(/bounded evaluation: \$__plekBudget is reserved/);
	});
	it('leaves ordinary recursion alone', async () => {
		const record = await expectRecord(base({ key: '($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; $string($f(10)))' }), person);
		expect(record.key).toBe('3628800');
	});
});

describe('hostile input', () => {
	afterEach(() => {
		delete (Object.prototype as Record<string, unknown>).polluted;
	});
	it('drops __proto__, constructor and prototype keys and pollutes nothing', async () => {
		const hostile = JSON.parse(
			'{"id": "e1", "mail": "jan@acme.nl", "__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}},' +
				' "nested": {"__proto__": {"polluted": "yes"}, "prototype": {"polluted": "yes"}}}',
		);
		const config = {
			document: `{"key": id, "userName": mail, "profile": {"title": $string(__proto__.polluted), "nickName": $string(nested.prototype)},
			  "groups": [$keys($)]}`,
		};
		const result = await mapOne(config, hostile);
		expect(result.ok).toBe(true);
		const record = (result as { record: PlekUserRecord }).record;
		expect(record.groups).toEqual(['id', 'mail', 'nested']);
		expect(record.profile).toEqual({}); // nothing readable behind __proto__ / prototype
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(record.profile)).toBe(Object.prototype);
	});
	it('refuses __proto__ and friends as profile paths', async () => {
		for (const path of ['__proto__', 'constructor', 'prototype']) {
			const failure = await expectInvalid({ document: `{"key": "k", "userName": "u", "profile": {"${path}": "yes"}}` }, {});
			expect(failure.field).toBe(`profile.${path}`);
			expect(failure.reason).toMatch(/not a SCIM attribute path|reserved name/);
		}
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
	it('does not let data pose as a JSONata function', async () => {
		const source = { id: 'e1', mail: 'jan@acme.nl', f: { _jsonata_lambda: true, body: { type: 'string', value: 'hacked' } } };
		expect((await expectRecord(base({ key: '$exists(f._jsonata_lambda) ? "hacked" : id' }), source)).key).toBe('e1');
	});
});
