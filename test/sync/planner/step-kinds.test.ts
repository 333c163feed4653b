// Issue 24: the step kinds are ONE list (core/sync/model.ts STEP_KINDS); every view that names or orders them reads
// it, so a kind is never missing from one of them (approval.ts once left manager writes out of a blocked plan).
import { STEP_KIND_LIST, STEP_KINDS, type PlannedStep } from '../../../core/sync/model';
import { firstAffected, whatChanged } from '../../../core/sync/planner/approval';
import { countsLabel, countWrites, planFingerprint } from '../../../core/sync/planner/fingerprint';

const manager = (key: string): PlannedStep => ({ kind: 'manager', key, userRef: { userId: `id-${key}` }, managerKey: 'boss', managerRef: { key: 'boss' } });
const deactivate = (key: string): PlannedStep => ({ kind: 'deactivate', key, userId: `id-${key}`, userName: `${key}@acme.nl`, reason: 'inactive in source', operations: [] });
const groupAdd = (key: string): PlannedStep => ({ kind: 'groupAdd', key, groupName: 'Care', groupId: 'g1', userRef: { userId: `id-${key}` } });

test('the list has each kind once, with words and a place in the blocked plan', () => {
	expect(new Set(STEP_KIND_LIST).size).toBe(STEP_KIND_LIST.length);
	expect(STEP_KIND_LIST).toEqual(['create', 'adopt', 'update', 'reactivate', 'deactivate', 'groupCreate', 'groupAdd', 'groupRemove', 'manager']);
	expect(new Set(STEP_KIND_LIST.map((k) => STEP_KINDS[k].firstAffected)).size).toBe(STEP_KIND_LIST.length);
	expect(STEP_KINDS.manager.words).toBe('manager set');
});

test('a blocked plan names manager writes among the first affected: after the user writes, before group writes', () => {
	expect(firstAffected([groupAdd('g'), manager('m'), deactivate('d')])).toEqual(['deactivate d@acme.nl (key "d")', 'manager (key "m")', 'groupAdd "Care" (key "g")']);
});

test('an approval whose manager writes differ says so in the counts', () => {
	const approved = planFingerprint([manager('a'), manager('b')], { issued: '20261207T1800Z' });
	expect(whatChanged(approved, [manager('a'), manager('b'), manager('c')])).toBe('approved: 2 manager; now: 3 manager');
});

test('the fingerprint prefix lists the kinds in the list\'s order', () => {
	expect(countsLabel(countWrites([manager('m'), groupAdd('g'), deactivate('d')]))).toBe('deactivate1.groupAdd1.manager1');
});
