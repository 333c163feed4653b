// The Sync's input goes through the one record contract (core/record): the former disagreements with the
// Mapper, each as its own test, plus the run-wide rules (duplicate keys, duplicate active userNames).
import { plan, plekUser, record } from './helpers';
import { ENTERPRISE } from '../../support/scim';

const invalidReason = (raw: unknown) => {
	const p = plan([raw]);
	expect(p.steps).toEqual([]);
	expect(p.counts.invalid).toBe(1);
	return p.issues[0].reason;
};

describe('the record contract at the Sync input (former disagreements)', () => {
	test('a key of 2,000 characters (valid for the Mapper) is valid for Sync: created', () => {
		const key = 'k'.repeat(2000);
		const p = plan([record(key, { userName: 'jan@acme.nl', profile: {} })]);
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'create', key })]);
		expect(p.counts.invalid).toBe(0);
	});

	test('each invalid record is reported with its own problems only, in input order', () => {
		const p = plan([record('k1', { profile: { birthDate: 'x' } }), record('k2'), { key: 'k3', active: 'yes' }, 'not a record']);
		expect(p.counts.invalid).toBe(3);
		expect(p.issues.map((i) => [i.key, i.reason])).toEqual([
			['k1', 'Record #1 is invalid: profile path "birthDate" is refused: Plek does not sync birthdates (birthDate); remove this field.'],
			['k3', 'Record #3 is invalid: "active" must be true or false.'],
			[undefined, 'Record #4 is invalid: the record is not an object.'],
		]);
	});

	test('a key over 2,048 characters is refused, naming the limit', () => {
		expect(invalidReason(record('k'.repeat(2049)))).toMatch(/mapping key is longer than 2048 characters/);
	});

	test.each([
		['birthDate', /birthdates/],
		[`${ENTERPRISE}:dateOfBirth`, /birthdates/],
		['photos.value', /profile pictures/],
		['photos[type eq "photo"].value', /profile pictures/],
	])('refused path %s: Sync plans no create with it', (path, message) => {
		expect(invalidReason(record('k1', { profile: { [path]: 'x' } }))).toMatch(message);
	});

	test.each([
		['the key', record('k\u0085')],
		['the userName', record('k1', { userName: 'jan\u009f@acme.nl' })],
		['a profile value', record('k1', { profile: { title: 'Nurse\u0080' } })],
		['a group name', record('k1', { groups: ['Care\u0090'] })],
	])('C1 control characters in %s are refused by Sync too', (_where, raw) => {
		expect(invalidReason(raw)).toMatch(/control characters/);
	});

	test.each(['__proto__', 'constructor', 'prototype'])('%s as a profile path or a record field is rejected naming it', (name) => {
		expect(invalidReason(JSON.parse(`{"key":"k","userName":"u","active":true,"profile":{"${name}":"x"}}`))).toMatch(new RegExp(`'${name}' is a reserved name`));
		expect(invalidReason(JSON.parse(`{"key":"k","userName":"u","active":true,"${name}":{"polluted":1}}`))).toMatch(new RegExp(`record field "${name}" is not allowed`));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test('the userName rule is the Mapper\'s: an e-mail address or a plain login', () => {
		expect(invalidReason(record('k1', { userName: 'Jan Jansen' }))).toMatch(/neither an e-mail address nor a plain login/);
		expect(plan([record('k1', { userName: 'j.jansen' })]).counts.create).toBe(1);
	});

	test('every problem of a record in one issue, with the record number and the key', () => {
		const p = plan([record('ok'), { key: 'k2', active: 'yes', profile: { photos: 'x' } }]);
		expect(p.issues).toEqual([expect.objectContaining({ key: 'k2', reason: expect.stringMatching(/^Record #2 is invalid: "active".*; profile path "photos" is refused/) })]);
	});
});

describe('run-wide input rules', () => {
	test('a key three times: all three rejected, the count in the reason', () => {
		const p = plan([record('k1'), record('k1'), record('k1'), record('k2')]);
		expect(p.issues.map((i) => [i.type, i.key])).toEqual([['duplicateKey', 'k1'], ['duplicateKey', 'k1'], ['duplicateKey', 'k1']]);
		expect(p.issues[0].reason).toMatch(/appears 3 times/);
		expect(p.steps.map((s) => ('key' in s ? s.key : undefined))).toEqual(['k2']);
		expect(p.counts).toMatchObject({ invalid: 3, create: 1 });
	});

	test('a duplicate key counts an invalid record with the same key too', () => {
		const p = plan([record('k1'), { key: 'k1', active: 'no' }]);
		expect(p.issues.map((i) => i.type).sort()).toEqual(['duplicateKey', 'invalid']);
		expect(p.steps).toEqual([]);
	});

	test('a userName shared by an active and an inactive record is fine; two active ones are not', () => {
		const users = [plekUser('k1'), plekUser('k2')];
		const ok = plan([record('k1', { userName: 'same@acme.nl' }), record('k2', { userName: 'same@acme.nl', active: false })], users);
		expect(ok.counts.conflicts).toBe(0);
		const bad = plan([record('a', { userName: 'same@acme.nl' }), record('b', { userName: 'Same@acme.nl' }), record('c', { userName: 'SAME@acme.nl' })]);
		expect(bad.counts.conflicts).toBe(3);
		expect(bad.issues[0].reason).toMatch(/used by 3 active records/);
		expect(bad.steps).toEqual([]);
	});

	test('a record keeping its own account\'s userName is synced; a new record claiming that name gets the conflict', () => {
		const keeper = plekUser('k1', { userName: 'jan@acme.nl', title: 'Old' });
		const p = plan([record('k1', { userName: 'JAN@acme.nl', profile: { title: 'New' } }), record('k2', { userName: 'jan@acme.nl' })], [keeper]);
		expect(p.steps.map((s) => [s.kind, 'key' in s ? s.key : undefined])).toEqual([['update', 'k1']]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'conflict', key: 'k2', action: 'create', reason: expect.stringMatching(/already used by "k1"/) })]);
	});

	test('a renamed record and a new record wanting the same new userName: both rejected', () => {
		const p = plan([record('k1', { userName: 'new@acme.nl' }), record('k2', { userName: 'NEW@acme.nl' })], [plekUser('k1')]);
		expect(p.steps).toEqual([]);
		expect(p.issues.map((i) => [i.type, i.key])).toEqual([['conflict', 'k1'], ['conflict', 'k2']]);
	});

	test('a key present only in invalid records protects its Plek user from "missing" deactivation', () => {
		const p = plan([{ key: 'k1', active: 'maybe' }, ...Array.from({ length: 20 }, (_, i) => record(`o${i}`))], [plekUser('k1'), ...Array.from({ length: 20 }, (_, i) => plekUser(`o${i}`))], [], { deactivateMissing: true });
		expect(p.steps.filter((s) => s.kind === 'deactivate')).toEqual([]);
	});

	test('only the records sharing an active userName are rejected; the others of the run go on', () => {
		const p = plan([
			record('a', { userName: 'same@acme.nl' }),
			record('c', { userName: 'c@acme.nl' }),
			record('b', { userName: 'SAME@acme.nl' }),
			record('d', { userName: 'same@acme.nl', active: false }),
			record('e', { userName: undefined }),
		]);
		expect(p.issues.map((i) => [i.key, i.type, i.action])).toEqual([
			['a', 'conflict', 'input'],
			['b', 'conflict', 'input'],
			['e', 'invalid', 'create'],
		]);
		expect(p.issues[0].reason).toMatch(/used by 2 active records/);
		expect(p.steps.map((s) => [s.kind, 'key' in s ? s.key : undefined])).toEqual([['create', 'c']]);
	});

	test('a repeated key names the record number of each rejected record; unique keys go on', () => {
		const p = plan([record('x'), record('k1'), record('y'), record('k1')]);
		expect(p.issues.map((i) => i.reason)).toEqual([
			expect.stringContaining('(record #2); all of them were rejected'),
			expect.stringContaining('(record #4); all of them were rejected'),
		]);
		expect(p.steps.map((s) => ('key' in s ? s.key : undefined))).toEqual(['x', 'y']);
	});

	test('records that are not objects, or whose key is not text, are reported without a key', () => {
		const p = plan([null, 7, { key: 42, active: true }, { key: '', active: true }, record('ok')]);
		expect(p.issues.map((i) => [i.type, i.key])).toEqual([
			['invalid', undefined],
			['invalid', undefined],
			['invalid', undefined],
			['invalid', ''],
		]);
		expect(p.steps.map((s) => ('key' in s ? s.key : undefined))).toEqual(['ok']);
	});

	test('not a list: no records, nothing planned', () => {
		expect(plan('nope' as unknown as unknown[]).steps).toEqual([]);
	});
});
