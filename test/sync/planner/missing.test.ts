// Managed users missing from the input, and the PATCH a deactivation writes.
import { plan, plekUser, record } from './helpers';

const others = Array.from({ length: 30 }, (_, i) => plekUser(`o${i}`));
const withOthers = (records: unknown[]) => [...records, ...others.map((u) => record(u.externalId as string))];

describe('missing users', () => {
	test('deactivateMissing: PATCH active=false with the version, reason "missing from source"', () => {
		const gone = plekUser('gone', { meta: { version: 'W/"7"' } });
		const p = plan(withOthers([]), [gone, ...others], [], { deactivateMissing: true });
		expect(p.steps).toEqual([
			{ kind: 'deactivate', key: 'gone', userId: gone.id, userName: 'gone@acme.nl', version: 'W/"7"', reason: 'missing from source', operations: [{ op: 'replace', path: 'active', value: false }] },
		]);
	});

	test('a leaver\'s deactivation writes the same PATCH, reason "inactive in source"', () => {
		const leaver = plekUser('l1');
		const p = plan(withOthers([record('l1', { active: false })]), [leaver, ...others]);
		expect(p.steps).toEqual([
			{ kind: 'deactivate', key: 'l1', userId: leaver.id, userName: 'l1@acme.nl', version: 'W/"1"', reason: 'inactive in source', operations: [{ op: 'replace', path: 'active', value: false }] },
		]);
	});

	test('deactivate switched off: a missing user is left alone, with the reason in Explain', () => {
		const p = plan(withOthers([]), [plekUser('gone'), ...others], [], { deactivateMissing: true, deactivate: false, explainKey: 'gone' });
		expect(p.steps).toEqual([]);
		expect(p.explanation?.join('\n')).toMatch(/deactivation is switched off/);
	});

	test('a user implicated in a key change is protected; the protection needs the key-change conflict', () => {
		const old = plekUser('old', { userName: 'jan@acme.nl' });
		const protectedPlan = plan(withOthers([record('new', { userName: 'jan@acme.nl' })]), [old, ...others], [], { deactivateMissing: true, explainKey: 'old' });
		expect(protectedPlan.steps).toEqual([]);
		expect(protectedPlan.explanation?.join('\n')).toMatch(/key-change conflict\): not deactivated/);
		// An inactive new record is skipped (leavers are never created): no conflict, so the old user is missing.
		const leaverPlan = plan(withOthers([record('new', { userName: 'jan@acme.nl', active: false })]), [old, ...others], [], { deactivateMissing: true });
		expect(leaverPlan.steps.map((s) => [s.kind, 'key' in s ? s.key : undefined])).toEqual([['deactivate', 'old']]);
	});

	test('users with a duplicated externalId or already inactive are never "missing"', () => {
		const p = plan(withOthers([]), [plekUser('dup'), plekUser('dup'), plekUser('off', { active: false }), ...others], [], { deactivateMissing: true });
		expect(p.steps).toEqual([]);
	});

	test('a key not in the input explains itself: found in Plek or not', () => {
		expect(plan([], [plekUser('gone')], [], { explainKey: 'gone' }).explanation).toEqual([
			'Key "gone" is not in the input.',
			expect.stringMatching(/^Plek: found by externalId -> Plek user id .* externalId "gone", active\)\.$/),
			'Missing from the source: left alone (deactivateMissing is off).',
		]);
	});
});
