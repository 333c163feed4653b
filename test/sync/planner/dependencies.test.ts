// What a write waits for in the same run (model.ts dependsOn): read from the planned steps' references to people
// and groups created in the run, and what Apply One Person keeps beside the chosen person.
import { dependsOn } from '../../../core/sync/model';
import { narrowPlan } from '../../../core/sync/onDemand';
import { plan, plekUser, record } from './helpers';

describe('dependsOn: the creates a planned write waits for', () => {
	const boss = plekUser('boss');
	const p = plan(
		[record('newboss'), record('sub', { manager: 'newboss', groups: ['Brand New'] }), record('old', { manager: 'boss', groups: ['Brand New'] }), record('boss')],
		[boss, plekUser('old')],
		[],
		{ createMissingGroups: true },
	);
	const stepOf = (key: string, kind: string) => p.steps.find((s) => s.kind === kind && 'key' in s && s.key === key)!;

	test('a manager step of a new person under a new manager waits for both creates', () => {
		expect(dependsOn(stepOf('sub', 'manager'))).toEqual([
			{ kind: 'create', key: 'sub' },
			{ kind: 'create', key: 'newboss' },
		]);
	});

	test('a membership of a group created in this run waits for the group; a new member also for its create', () => {
		expect(dependsOn(stepOf('sub', 'groupAdd'))).toEqual([
			{ kind: 'groupCreate', groupName: 'Brand New' },
			{ kind: 'create', key: 'sub' },
		]);
		expect(dependsOn(stepOf('old', 'groupAdd'))).toEqual([{ kind: 'groupCreate', groupName: 'Brand New' }]);
	});

	test('creates, PATCHes and group creates wait for nothing', () => {
		for (const step of p.steps.filter((s) => s.kind === 'create' || s.kind === 'update' || s.kind === 'groupCreate')) expect(dependsOn(step)).toEqual([]);
		expect(p.steps.some((s) => s.kind === 'groupCreate')).toBe(true);
	});

	test('Apply One Person keeps exactly the chosen person\'s writes and what they depend on', () => {
		const narrowed = narrowPlan(p, new Set(['sub']));
		expect(narrowed.steps.map((s) => `${s.kind}:${'key' in s ? s.key : s.displayName}`).sort()).toEqual(
			['create:newboss', 'create:sub', 'groupAdd:sub', 'groupCreate:Brand New', 'manager:sub'].sort(),
		);
		expect(narrowed.dependencies).toEqual(['newboss']);
		// A person whose manager is in Plek and whose group exists after the create: nothing else is applied.
		const old = narrowPlan(p, new Set(['old']));
		expect(old.steps.map((s) => s.kind).sort()).toEqual(['groupAdd', 'groupCreate', 'update'].sort());
		expect(old.dependencies).toEqual([]);
	});
});
