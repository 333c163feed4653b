// Counts, Changes, Issues and the Explain trace are views of the decisions: one outcome per record, never
// counted twice; Changes and Issues name the person (userName, display name) beside the key.
import { group, plan, plekUser, record } from './helpers';

describe('counts come from the decisions', () => {
	test('a userName conflict on an otherwise unchanged user is a conflict, not also "unchanged"', () => {
		const held = plekUser(undefined, { userName: 'free@acme.nl' });
		const p = plan([record('k1'), record('k2', { userName: 'free@acme.nl' })], [plekUser('k1'), plekUser('k2'), held]);
		expect(p.counts).toMatchObject({ conflicts: 1, unchanged: 1, update: 0 });
		expect(p.decisions?.find((d) => d.key === 'k2')).toMatchObject({ action: 'conflict', rule: 'userNameTaken' });
	});

	test('a userName conflict beside a real update: one update, one conflict, not unchanged', () => {
		const held = plekUser(undefined, { userName: 'free@acme.nl' });
		const p = plan([record('k1'), record('k2', { userName: 'free@acme.nl', profile: { title: 'New' } })], [plekUser('k1'), plekUser('k2'), held]);
		expect(p.counts).toMatchObject({ conflicts: 1, unchanged: 1, update: 1 });
	});

	test('each record has exactly one decision; the counts add up to the input', () => {
		const users = [plekUser('same'), plekUser('gone'), plekUser('leaver')];
		const records = [record('same'), record('new'), record('leaver', { active: false }), record('old-leaver', { active: false }), { key: 'bad' }];
		const p = plan(records, users);
		const recordDecisions = p.decisions?.filter((d) => d.record || d.rule === 'invalidRecord') ?? [];
		expect(recordDecisions.map((d) => d.key)).toEqual(['bad', 'same', 'new', 'leaver', 'old-leaver']);
		const c = p.counts;
		expect(c.unchanged + c.create + c.deactivate + c.skipped + c.invalid).toBe(records.length);
		expect(c).toMatchObject({ unchanged: 1, create: 1, deactivate: 1, skipped: 1, invalid: 1 });
	});

	test('step counts are the steps of the plan, per kind', () => {
		const p = plan([record('k1', { groups: ['A', 'B'] }), record('k2', { groups: ['A'] })], [plekUser('k1')], [group('A'), group('B')]);
		expect(p.counts).toMatchObject({ create: 1, groupAdd: 3, update: 0 });
		expect(p.steps.filter((s) => s.kind === 'groupAdd')).toHaveLength(3);
	});
});

describe('Changes and Issues name the person', () => {
	test('a planned create carries userName and display name beside the key', () => {
		const p = plan([record('k1', { profile: { 'name.givenName': 'Jan', 'name.familyName': 'Jansen' } })]);
		expect(p.changes[0]).toMatchObject({ key: 'k1', userName: 'k1@acme.nl', displayName: 'Jan Jansen' });
	});

	test('displayName, then name.formatted, then given + family name; else Plek\'s name', () => {
		const withDisplay = plan([record('k1', { profile: { displayName: 'J. Jansen', 'name.givenName': 'Jan' } })]);
		expect(withDisplay.changes[0].displayName).toBe('J. Jansen');
		const formatted = plan([record('k1', { profile: { 'name.formatted': 'Jan J.', 'name.givenName': 'Jan' } })]);
		expect(formatted.changes[0].displayName).toBe('Jan J.');
		const fromPlek = plan([record('k1', { active: false, profile: {} })], [plekUser('k1', { displayName: 'Plek Name' })]);
		expect(fromPlek.changes[0]).toMatchObject({ key: 'k1', displayName: 'Plek Name', actions: ['deactivate'] });
	});

	test('an issue about a record carries its userName and display name', () => {
		const p = plan([record('k1', { userName: 'taken@acme.nl', profile: { 'name.givenName': 'Jan', 'name.familyName': 'Jansen' } })], [plekUser(undefined, { userName: 'taken@acme.nl' })]);
		expect(p.issues).toEqual([expect.objectContaining({ type: 'conflict', key: 'k1', userName: 'taken@acme.nl', displayName: 'Jan Jansen' })]);
	});

	test('a missing user\'s deactivation names the Plek user', () => {
		const users = Array.from({ length: 20 }, (_, i) => plekUser(`m${i}`, { name: { givenName: 'Piet', familyName: `P${i}` } }));
		const p = plan(users.slice(1).map((u) => record(u.externalId as string, { profile: { 'name.givenName': 'Piet', 'name.familyName': (u.name as { familyName: string }).familyName } })), users, [], { deactivateMissing: true });
		expect(p.changes).toEqual([expect.objectContaining({ key: 'm0', userName: 'm0@acme.nl', displayName: 'Piet P0', reason: 'missing from source' })]);
	});
});
