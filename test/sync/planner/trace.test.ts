// The Explain trace is the explained key's decisions in plan order; other keys leave no trace.
import { plan, plekUser, record, group } from './helpers';

describe('Explain trace', () => {
	test('only the explained key has a trace; the others carry none', () => {
		const p = plan([record('k1'), record('k2')], [plekUser('k1')], [], { explainKey: 'k2' });
		expect(p.decisions?.filter((d) => d.trace !== undefined).map((d) => d.key)).toEqual(['k2']);
		expect(plan([record('k1')], [plekUser('k1')]).decisions?.every((d) => d.trace === undefined)).toBe(true);
	});

	test('an adopted record: the record\'s lines, then the adoption, then its group removal, in that order', () => {
		const loose = plekUser(undefined, { userName: 'k1@acme.nl', active: false });
		const text = plan([record('k1', { groups: [] })], [loose], [group('Care', [loose])], { adoptUnmanaged: 'userName', removeFromRuleGroups: true, managedGroups: ['Care'], explainKey: 'k1' }).explanation ?? [];
		const at = (pattern: RegExp) => text.findIndex((line) => pattern.test(line));
		expect(at(/^Input record #1/)).toBe(0);
		expect(at(/Adoption candidate by userName: .*no externalId, inactive\)/)).toBeGreaterThan(at(/^Plek: no user with externalId/));
		expect(at(/^Adopted by userName/)).toBeGreaterThan(at(/Adoption candidate/));
		expect(at(/reactivate/)).toBeGreaterThan(at(/^Adopted by/));
		expect(at(/Group "Care": rule-managed/)).toBeGreaterThan(at(/reactivate/));
	});

	test('a blocked plan says so last', () => {
		const users = Array.from({ length: 40 }, (_, i) => plekUser(`u${i}`));
		const p = plan(users.map((u) => record(u.externalId as string, { active: false })), users, [], { explainKey: 'u0' });
		expect(p.explanation?.at(-1)).toMatch(/^The whole plan is blocked: Sync blocked, nothing was written: 40 deactivation/);
	});

	test('a key not in the input, among missing users: its lines come where the missing users are decided', () => {
		const users = [plekUser('stays'), plekUser('gone'), plekUser('also-gone')];
		expect(plan([record('stays')], users, [], { explainKey: 'also-gone', deactivateMissing: true, minSourceRatio: 0, maxDeactivations: -1, maxDeactivationPercent: -1 }).explanation).toEqual([
			'Key "also-gone" is not in the input.',
			expect.stringMatching(/^Plek: found by externalId/),
			'Missing from the source -> deactivate (deactivateMissing).',
		]);
	});

	test('an invalid record of the explained key explains why it was left out', () => {
		expect(plan([{ key: 'k1', active: 'yes' }], [], [], { explainKey: 'k1' }).explanation?.[0]).toMatch(/^Input record #1: invalid, left out: "active" must be true or false/);
	});
});
