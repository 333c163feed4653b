// The planner's views that speak after a run or in the Summary: each Changes item's status from the outcomes the
// executor recorded on its steps (changes.ts), and the people leaving on a date ahead (leaving.ts).
import { changesFromSteps } from '../../../core/sync/planner/changes';
import { leavingAhead, leavingAheadText } from '../../../core/sync/planner/leaving';
import type { PlannedStep, WriteResult } from '../../../core/sync/types';
import { plan, plekUser, record } from './helpers';

describe('changesFromSteps with a run\'s outcomes: one status per person', () => {
	const create: PlannedStep = { kind: 'create', key: 'new', user: { schemas: [], userName: 'new@acme.nl' }, groups: ['Care'], changes: [] };
	const join: PlannedStep = { kind: 'groupAdd', key: 'new', groupName: 'Care', groupId: 'g1', userRef: { key: 'new' } };
	const update: PlannedStep = { kind: 'update', key: 'old', userId: 'u-old', operations: [], changes: [] };
	const settled = (outcomes: Array<[PlannedStep, WriteResult]>, steps: PlannedStep[] = [create, join]) => changesFromSteps(steps, undefined, new Map(outcomes));

	test('nothing recorded: not attempted, no error', () => {
		const [item] = settled([]);
		expect(item.status).toBe('notAttempted');
		expect(item.error).toBeUndefined();
	});

	test('every write done: done, with the new Plek id of the create', () => {
		const [item] = settled([
			[create, { status: 'done', userId: 'new-1' }],
			[join, { status: 'done' }],
		]);
		expect(item).toMatchObject({ status: 'done', userId: 'new-1' });
		expect(item.error).toBeUndefined();
	});

	test('every write failed: failed, the same error said once', () => {
		const [item] = settled([
			[create, { status: 'failed', error: 'HTTP 400' }],
			[join, { status: 'failed', error: 'HTTP 400' }],
		]);
		expect(item).toMatchObject({ status: 'failed', error: 'HTTP 400' });
	});

	test('some failed or some unsent: partial; a failure without words says "failed"', () => {
		expect(settled([[create, { status: 'done', userId: 'n' }], [join, { status: 'failed', error: 'gone' }]])[0]).toMatchObject({ status: 'partial', error: 'gone' });
		expect(settled([[create, { status: 'done', userId: 'n' }]])[0].status).toBe('partial');
		expect(settled([[create, { status: 'failed' }]])[0]).toMatchObject({ status: 'partial', error: 'failed' });
		expect(settled([[create, { status: 'alreadyExisted', userId: 'n' }], [join, { status: 'done' }]])[0].status).toBe('done');
	});

	test('a PATCHed person keeps the id it was planned with', () => {
		const [item] = settled([[update, { status: 'done', userId: 'elsewhere' }]], [update]);
		expect(item).toMatchObject({ status: 'done', userId: 'u-old' });
	});

	test('without outcomes every item stays planned', () => {
		expect(changesFromSteps([create, join]).map((i) => i.status)).toEqual(['planned']);
	});
});

describe('leavingAhead: the people leaving on a date ahead, soonest first', () => {
	const named = (key: string, display: string | undefined, leaveDate: string) =>
		record(key, { leaveDate, profile: { ...(display !== undefined ? { displayName: display } : {}) } });
	const decisions = (records: ReturnType<typeof record>[]) => plan(records, records.map((r) => plekUser(r.key, r.key === 'anon' ? { name: undefined } : {})), [], { now: '2027-01-10' }).decisions ?? [];

	test('sorted by date, named by display name, then userName', () => {
		const leaving = leavingAhead(decisions([named('jan', 'Jan de Vries', '2027-03-31'), named('piet', 'Piet Jansen', '2027-01-15'), named('anon', undefined, '2027-02-01'), record('stays')]));
		expect(leaving).toEqual({ count: 3, first: ['Piet Jansen 2027-01-15', 'anon@acme.nl 2027-02-01', 'Jan de Vries 2027-03-31'] });
		expect(leavingAheadText(leaving!)).toBe('3 leave on a date ahead: Piet Jansen 2027-01-15, anon@acme.nl 2027-02-01, Jan de Vries 2027-03-31');
	});

	test('past the listed number: the rest counted', () => {
		const many = ['a', 'b', 'c', 'd'].map((k, i) => named(k, `Person ${k.toUpperCase()}`, `2027-0${i + 2}-01`));
		const leaving = leavingAhead(decisions(many), 2)!;
		expect(leaving).toEqual({ count: 4, first: ['Person A 2027-02-01', 'Person B 2027-03-01'] });
		expect(leavingAheadText(leaving)).toBe('4 leave on a date ahead: Person A 2027-02-01, Person B 2027-03-01, and 2 more');
	});

	test('one person: singular; nobody: undefined', () => {
		const one = leavingAhead(decisions([named('solo', 'Solo', '2027-05-01')]))!;
		expect(leavingAheadText(one)).toBe('1 leaves on a date ahead: Solo 2027-05-01');
		expect(leavingAhead(decisions([record('stays')]))).toBeUndefined();
		expect(leavingAhead(decisions([named('gone', 'Gone', '2027-01-10')]))).toBeUndefined();
	});
});
