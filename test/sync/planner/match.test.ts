// Matching and adoption: externalId first, then who holds the userName / e-mail.
import { plan, plekUser, record, WORK_EMAIL } from './helpers';

describe('matching', () => {
	test('found by externalId: never compared by userName (a renamed person stays the same user)', () => {
		const u = plekUser('k1', { userName: 'old@acme.nl' });
		const p = plan([record('k1', { userName: 'new@acme.nl' })], [u, plekUser(undefined, { userName: 'k1@acme.nl' })]);
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'update', userId: u.id })]);
	});

	test('a found Plek user is taken as found whatever its attributes (a "kind" or "holders" attribute included)', () => {
		const odd = plekUser('k1', { kind: 'new', holders: { kind: 'none' }, title: 'Old' });
		const p = plan([record('k1', { profile: { title: 'New' } })], [odd]);
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'update', userId: odd.id })]);
		expect(p.decisions?.find((d) => d.key === 'k1')).toMatchObject({ rule: 'matched', user: odd });
	});

	test('externalId is exact: another case is another key', () => {
		const p = plan([record('K1', { userName: 'other@acme.nl', profile: {} })], [plekUser('k1')]);
		expect(p.steps.map((s) => s.kind)).toEqual(['create']);
	});

	test('a managed user holding the e-mail whose key is still present: no conflict, created', () => {
		const p = plan([record('k1'), record('k2', { userName: 'k2@acme.nl', profile: { [WORK_EMAIL]: 'k1@acme.nl' } })], [plekUser('k1')]);
		expect(p.steps.map((s) => [s.kind, 'key' in s ? s.key : undefined])).toEqual([['create', 'k2']]);
	});

	test('adoption off: an unmanaged account with the e-mail is not adopted; the record is created', () => {
		const loose = plekUser(undefined, { userName: 'other', emails: [{ type: 'work', value: 'k1@acme.nl' }] });
		const p = plan([record('k1')], [loose]);
		expect(p.steps.map((s) => s.kind)).toEqual(['create']);
	});

	test('adoption by userName does not adopt by e-mail, and the other way round', () => {
		const byMail = plekUser(undefined, { userName: 'other', emails: [{ type: 'work', value: 'k1@acme.nl' }] });
		expect(plan([record('k1')], [byMail], [], { adoptUnmanaged: 'userName' }).steps.map((s) => s.kind)).toEqual(['create']);
		// Issue 22: adoption never renames, so the e-mail adoptions below use a record without a userName of its own.
		const mailOnly = record('k1', { userName: undefined });
		expect(plan([mailOnly], [byMail], [], { adoptUnmanaged: 'email' }).steps.map((s) => s.kind)).toEqual(['adopt']);
		const byName = plekUser(undefined, { userName: 'k1@acme.nl', emails: [] });
		expect(plan([record('k1')], [byName], [], { adoptUnmanaged: 'email' }).issues[0]).toMatchObject({ type: 'conflict', reason: expect.stringMatching(/unmanaged Plek account/) });
		expect(plan([record('k1')], [byName], [], { adoptUnmanaged: 'userNameOrEmail' }).steps).toEqual([expect.objectContaining({ kind: 'adopt', matchedBy: 'userName' })]);
		expect(plan([mailOnly], [byMail], [], { adoptUnmanaged: 'userNameOrEmail' }).steps).toEqual([expect.objectContaining({ kind: 'adopt', matchedBy: 'email' })]);
	});

	test('an adopted leaver is deactivated, not adopted with attributes', () => {
		const loose = plekUser(undefined, { userName: 'k1@acme.nl' });
		const p = plan([record('k1', { active: false })], [loose], [], { adoptUnmanaged: 'userName' });
		expect(p.steps).toEqual([]);
		expect(p.counts.skipped).toBe(1);
	});

	test('a Plek user holding the externalId twice blocks matching; a record for it conflicts with action "match"', () => {
		const p = plan([record('k1')], [plekUser('k1'), plekUser('k1')]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'conflict', key: 'k1', action: 'match' })]);
		expect(p.counts).toMatchObject({ conflicts: 1, unchanged: 0, create: 0 });
	});
});

describe('creating', () => {
	test('the create body has every non-empty value, externalId = key and active = true; empty values are left out', () => {
		const p = plan([record('k1', { profile: { title: 'Nurse', nickName: '', displayName: null } })]);
		expect(p.steps[0]).toMatchObject({ kind: 'create', user: { externalId: 'k1', userName: 'k1@acme.nl', active: true, title: 'Nurse' } });
		const user = (p.steps[0] as { user: Record<string, unknown> }).user;
		expect(Object.keys(user)).not.toContain('nickName');
		expect(Object.keys(user)).not.toContain('displayName');
		expect((p.steps[0] as { changes: unknown[] }).changes).toEqual([
			{ path: 'userName', before: undefined, after: 'k1@acme.nl' },
			{ path: 'active', before: undefined, after: true },
			{ path: 'title', before: undefined, after: 'Nurse' },
		]);
	});
});
