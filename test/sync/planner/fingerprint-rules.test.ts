// The plan fingerprint names exactly the writes: which fields of each step count, and which approvals parse.
import { parseFingerprintCounts, planFingerprint } from '../../../core/sync/planner/fingerprint';
import type { PlannedStep } from '../../../core/sync/types';
import { plan, record } from './helpers';

const HEX = 'a'.repeat(20);
const member = (kind: 'groupAdd' | 'groupRemove', groupName: string, key = 'k1', id = 'id-1'): PlannedStep => ({ kind, groupName, groupId: 'g', key, userRef: { userId: id } } as PlannedStep);
const manager = (key: string, managerKey: string, id = 'id-1'): PlannedStep => ({ kind: 'manager', key, userRef: { userId: id }, managerKey, managerRef: { key: managerKey } } as PlannedStep);
const same = (a: PlannedStep, b: PlannedStep) => planFingerprint([a]) === planFingerprint([b]);

describe('what the fingerprint counts', () => {
	test('a created user: its key and its attributes', () => {
		const created = (key: string, title: string) => plan([record(key, { profile: { title } })]).fingerprint;
		expect(created('a', 'Nurse')).toMatch(/^create1-/);
		expect(created('a', 'Nurse')).toBe(created('a', 'Nurse'));
		expect(created('a', 'Nurse')).not.toBe(created('a', 'Doctor'));
		expect(created('a', 'Nurse')).not.toBe(created('b', 'Nurse'));
	});

	test('a created group: its name, spelling included (issue 22: `admins` and `ADMINS` are different plans), not more', () => {
		const create = (displayName: string): PlannedStep => ({ kind: 'groupCreate', displayName });
		expect(same(create('Care'), create('Cure'))).toBe(false);
		expect(same(create('Care'), create('CARE'))).toBe(false);
		expect(same(create('Care'), create('Care'))).toBe(true);
	});

	for (const kind of ['groupAdd', 'groupRemove'] as const) {
		test(`${kind}: the group (any case), the key and the user`, () => {
			expect(same(member(kind, 'Care'), member(kind, 'Cure'))).toBe(false);
			expect(same(member(kind, 'Care'), member(kind, 'care'))).toBe(true);
			expect(same(member(kind, 'Care', 'k1'), member(kind, 'Care', 'k2'))).toBe(false);
			expect(same(member(kind, 'Care', 'k1', 'id-1'), member(kind, 'Care', 'k1', 'id-2'))).toBe(false);
		});
	}

	test('adding to a group and removing from it are different writes', () => {
		expect(planFingerprint([member('groupAdd', 'Care')]).slice(-20)).not.toBe(planFingerprint([member('groupRemove', 'Care')]).slice(-20));
	});

	test('a manager write: the subordinate, its user and the manager', () => {
		expect(same(manager('k1', 'boss'), manager('k1', 'chief'))).toBe(false);
		expect(same(manager('k1', 'boss'), manager('k2', 'boss'))).toBe(false);
		expect(same(manager('k1', 'boss', 'id-1'), manager('k1', 'boss', 'id-2'))).toBe(false);
		expect(planFingerprint([manager('k1', 'boss'), member('groupAdd', 'Care')])).toMatch(/^groupAdd1\.manager1-/);
	});
});

describe('parseFingerprintCounts', () => {
	test('reads the counts of a fingerprint, surrounding spaces ignored; an empty plan has none', () => {
		expect(parseFingerprintCounts(` deactivate12.update3-${HEX} `)).toEqual(new Map([['deactivate', 12], ['update', 3]]));
		expect(parseFingerprintCounts(`nothing-${HEX}`)).toEqual(new Map());
	});

	test('anything else is no fingerprint of ours', () => {
		for (const text of [
			`x update3-${HEX}`, `update3-${HEX}0`, `update3-${HEX.slice(1)}`, `update3-${HEX}!`,
			`bogus3-${HEX}`, `update-${HEX}`, `3update3-${HEX}`, `update3x-${HEX}`, `update3..deactivate1-${HEX}`,
		]) {
			expect(parseFingerprintCounts(text)).toBeUndefined();
		}
	});
});
