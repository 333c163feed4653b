// Attribute changes of a matched user.
import { ENT, plan, plekUser, record, WORK_EMAIL } from './helpers';

const update = (p: ReturnType<typeof plan>) => p.steps.find((s) => s.kind === 'update') as { operations: unknown[]; changes: unknown[] } | undefined;

describe('attribute changes', () => {
	test('only what differs is written, with the canonical path and the value; before/after in changes', () => {
		const u = plekUser('k1', { title: 'Nurse', [ENT]: { department: 'Care' } });
		const p = plan([record('k1', { profile: { 'name.givenName': 'Given k1', Title: 'Head', [`${ENT}:department`]: 'Care' } })], [u]);
		expect(update(p)?.operations).toEqual([{ op: 'replace', path: 'Title', value: 'Head' }]);
		expect(update(p)?.changes).toEqual([{ path: 'Title', before: 'Nurse', after: 'Head' }]);
	});

	test('text and numbers compare by their text; userName and e-mail values ignore case', () => {
		const u = plekUser('k1', { userName: 'K1@ACME.NL', employeeNumber: 42, emails: [{ type: 'work', value: 'K1@ACME.NL' }] });
		expect(plan([record('k1', { profile: { employeeNumber: '42', [WORK_EMAIL]: 'k1@acme.nl' } })], [u]).steps).toEqual([]);
	});

	test('an e-mail element Plek lacks is added as a new element, not replaced', () => {
		const u = plekUser('k1', { emails: [] });
		expect(update(plan([record('k1')], [u]))?.operations).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'k1@acme.nl' }] }]);
	});

	test('createOnly paths are never compared for an existing user, whatever their spelling', () => {
		const u = plekUser('k1', { title: 'Old' });
		const p = plan([record('k1', { profile: { 'name.givenName': 'Given k1', [WORK_EMAIL]: 'k1@acme.nl', Title: 'New' }, createOnly: ['Title'] })], [u]);
		expect(p.steps).toEqual([]);
		expect(p.counts.unchanged).toBe(1);
	});

	test('empty source value: kept by default, removed with clearEmptyValues; empty on both sides is equal', () => {
		const u = plekUser('k1', { title: 'Nurse' });
		const rec = record('k1', { profile: { title: '', nickName: null } });
		expect(plan([rec], [u]).steps).toEqual([]);
		expect(update(plan([rec], [u], [], { clearEmptyValues: true }))?.operations).toEqual([{ op: 'remove', path: 'title' }]);
	});

	test('a userName change is written as a replace of userName', () => {
		const p = plan([record('k1', { userName: 'new@acme.nl' })], [plekUser('k1')]);
		expect(update(p)).toMatchObject({ operations: [{ op: 'replace', path: 'userName', value: 'new@acme.nl' }], changes: [{ path: 'userName', before: 'k1@acme.nl', after: 'new@acme.nl' }] });
	});

	test('the record without a userName keeps Plek\'s', () => {
		expect(plan([record('k1', { userName: undefined })], [plekUser('k1')]).steps).toEqual([]);
	});

	test('the version of the Plek user goes with the update (If-Match)', () => {
		const u = plekUser('k1', { meta: { version: 'W/"9"' }, title: 'x' });
		expect(plan([record('k1', { profile: { title: 'y' } })], [u]).steps[0]).toMatchObject({ kind: 'update', userId: u.id, version: 'W/"9"', userName: 'k1@acme.nl' });
	});
});
