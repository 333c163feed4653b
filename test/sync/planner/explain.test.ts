// Explain One Person: a mapping key, a userName or an e-mail address resolves to the person's mapping key.
import { resolveExplainTarget } from '../../../core/sync/planner';
import { plan, plekUser, record, WORK_EMAIL } from './helpers';

const records = [record('k1', { userName: 'jan@acme.nl', profile: { [WORK_EMAIL]: 'jan.jansen@acme.nl' } }), record('k2', { userName: 'piet' })];
const users = [plekUser('k3', { userName: 'klaas@acme.nl', emails: [{ type: 'work', value: 'klaas.k@acme.nl' }] }), plekUser(undefined, { userName: 'free@acme.nl' })];
const resolve = (query: string, input: unknown[] = records) => resolveExplainTarget(query, input, { users, groups: [] });

describe('resolveExplainTarget', () => {
	test.each([
		['k1', 'k1', 'key'],
		['  k2 ', 'k2', 'key'],
		['k3', 'k3', 'key'],
		['JAN@acme.nl', 'k1', 'userName'],
		['piet', 'k2', 'userName'],
		['Jan.Jansen@acme.nl', 'k1', 'email'],
		['klaas@acme.nl', 'k3', 'userName'],
		['KLAAS.K@acme.nl', 'k3', 'email'],
	])('%j -> key %s (by %s)', (query, key, matchedBy) => {
		expect(resolve(query)).toMatchObject({ key, matchedBy });
	});

	test('an unmanaged account or nobody: no key, and a note saying so', () => {
		expect(resolve('free@acme.nl')).toMatchObject({ matchedBy: 'none', note: expect.stringMatching(/no input record or managed Plek user/) });
		expect(resolve('free@acme.nl').key).toBeUndefined();
		expect(resolve('nobody')).toMatchObject({ matchedBy: 'none' });
	});

	test('several people share an e-mail: no key, the candidates listed', () => {
		const shared = [record('a', { profile: { [WORK_EMAIL]: 'team@acme.nl' } }), record('b', { profile: { [WORK_EMAIL]: 'team@acme.nl' } })];
		expect(resolve('team@acme.nl', shared).key).toBeUndefined();
		expect(resolve('team@acme.nl', shared)).toMatchObject({ matchedBy: 'ambiguous', candidates: ['a', 'b'], note: expect.stringMatching(/keys "a", "b"/) });
	});

	test('a key wins over a userName that looks the same', () => {
		const tricky = [record('piet@acme.nl', { userName: 'x@acme.nl', profile: {} }), record('k9', { userName: 'piet@acme.nl' })];
		expect(resolve('piet@acme.nl', tricky)).toMatchObject({ key: 'piet@acme.nl', matchedBy: 'key' });
	});
});

describe('planSync explains by userName or e-mail', () => {
	test('explainKey may be a userName: the trace is that person\'s, with how the query was resolved', () => {
		const p = plan(records, [plekUser('k1', { userName: 'jan@acme.nl' })], [], { explainKey: 'jan@acme.nl' });
		expect(p.explainTarget).toMatchObject({ key: 'k1', matchedBy: 'userName' });
		const text = p.explanation?.join('\n') ?? '';
		expect(text).toMatch(/^Explain "jan@acme.nl": the userName of mapping key "k1"/);
		expect(text).toMatch(/Input record #1: key "k1"/);
		expect(text).not.toMatch(/"k2"/);
	});

	test('a key query adds no resolution line', () => {
		const p = plan(records, [], [], { explainKey: 'k2' });
		expect(p.explanation?.[0]).toMatch(/^Input record #2: key "k2"/);
	});
});
