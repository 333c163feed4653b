// Managers, the cases around the main rule: Plek's current value read defensively, the PATCH it joins
// (a returner's, an adoption's), the POST body's schemas, and decisions that take no manager.
import { currentManagerId, MANAGER_PATH } from '../../../core/sync/planner/managers';
import { ENT, plan, plekUser, record } from './helpers';

const managerOp = (id: string) => ({ op: 'replace', path: MANAGER_PATH, value: { value: id } });
const kindsOf = (p: ReturnType<typeof plan>, key: string) => p.steps.filter((s) => 'key' in s && s.key === key).map((s) => s.kind);

describe('currentManagerId', () => {
	test('the enterprise manager.value when it is a non-empty text, else none', () => {
		expect(currentManagerId(plekUser('a', { [ENT]: { manager: { value: 'id-boss' } } } as never))).toBe('id-boss');
		for (const extension of [undefined, null, 'x', [{ manager: { value: 'id-boss' } }], {}, { manager: null }, { manager: 'id-boss' }, { manager: [{ value: 'id-boss' }] }, { manager: { value: '' } }, { manager: { value: 5 } }]) {
			expect(currentManagerId(plekUser('a', { [ENT]: extension } as never))).toBeUndefined();
		}
	});
});

describe('the PATCH the manager joins', () => {
	test('a returner: the manager goes into an update that leads, the reactivation follows', () => {
		const boss = plekUser('boss');
		const p = plan([record('boss'), record('k1', { manager: 'boss' })], [boss, plekUser('k1', { active: false })]);
		expect(kindsOf(p, 'k1')).toEqual(['update', 'reactivate']);
		expect(p.steps.find((s) => s.kind === 'update')).toMatchObject({ operations: [managerOp(boss.id)] });
		expect(p.steps.find((s) => s.kind === 'reactivate')).toMatchObject({ operations: [{ op: 'replace', path: 'active', value: true }] });
	});

	test('an adoption: the manager is in the adopt PATCH, no update of its own', () => {
		const boss = plekUser('boss');
		const hand = plekUser(undefined, { userName: 'k1@acme.nl' });
		const p = plan([record('boss'), record('k1', { manager: 'boss' })], [boss, hand], [], { adoptUnmanaged: 'userName' });
		expect(kindsOf(p, 'k1')).toEqual(['adopt']);
		const adopt = p.steps.find((s) => s.kind === 'adopt');
		expect(adopt && 'operations' in adopt ? adopt.operations : []).toContainEqual(managerOp(boss.id));
	});

	test('a Plek user without meta: the update has no version (no If-Match) and is still planned', () => {
		const boss = plekUser('boss');
		const k1 = plekUser('k1');
		delete k1.meta;
		const p = plan([record('boss'), record('k1', { manager: 'boss' })], [boss, k1]);
		expect(p.steps).toEqual([expect.objectContaining({ kind: 'update', key: 'k1', version: undefined, operations: [managerOp(boss.id)] })]);
	});
});

describe('a new subordinate\'s POST body', () => {
	test('the enterprise schema is listed once, also when the record already has an enterprise attribute', () => {
		const boss = plekUser('boss');
		const p = plan([record('boss'), record('k1', { manager: 'boss', profile: { [`${ENT}:department`]: 'Care' } })], [boss]);
		const create = p.steps.find((s) => s.kind === 'create');
		const user = (create && 'user' in create ? create.user : {}) as Record<string, unknown>;
		expect((user.schemas as string[]).filter((s) => s === ENT)).toHaveLength(1);
		expect(user[ENT]).toEqual({ department: 'Care', manager: { value: boss.id } });
	});
});

describe('decisions that take no manager', () => {
	test('an invalid record beside records with managers: the managers are still planned', () => {
		const boss = plekUser('boss');
		const p = plan([{ userName: 'no-key@acme.nl' }, record('boss'), record('k1', { manager: 'boss' })], [boss, plekUser('k1')]);
		expect(p.counts).toMatchObject({ invalid: 1, update: 1 });
		expect(p.steps.find((s) => s.kind === 'update')).toMatchObject({ key: 'k1', operations: [managerOp(boss.id)] });
	});

	test('a record in conflict gets no manager written', () => {
		const boss = plekUser('boss');
		const k1 = plekUser('k1');
		// k1's record takes the userName of another managed Plek user: a conflict, nothing written for k1.
		const p = plan([record('boss'), record('k1', { userName: 'other@acme.nl', manager: 'boss' }), record('other')], [boss, k1, plekUser('other')]);
		const d = p.decisions?.find((x) => x.key === 'k1');
		expect(d?.action).toBe('conflict');
		expect(kindsOf(p, 'k1')).toEqual([]);
	});

	test('a manager whose own record is invalid still resolves to their Plek account', () => {
		const boss = plekUser('boss');
		const p = plan([record('boss', { userName: '' }), record('k1', { manager: 'boss' })], [boss, plekUser('k1')]);
		expect(p.counts.invalid).toBe(1);
		expect(p.steps.find((s) => s.kind === 'update')).toMatchObject({ key: 'k1', operations: [managerOp(boss.id)] });
		expect(p.issues.filter((i) => i.type === 'unknownManager')).toEqual([]);
	});
});
