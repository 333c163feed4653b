// What the Sync node says first: the decision line, the dry-run wording, Explain by userName / e-mail, the hints
// n8n shows above the output, and the reset hint when another source synced the same Plek under other keys.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-report-test-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

function person(i: number, key = `emp-${i}`): IDataObject {
	return {
		key,
		userName: `person${i}@acme.example`,
		active: true,
		profile: { 'name.givenName': `Given${i}`, 'name.familyName': `Family${i}`, displayName: `Given${i} Family${i}`, title: 'Nurse' },
		groups: [],
	};
}
const people = (n: number, keyOf = (i: number) => `emp-${i}`) => Array.from({ length: n }, (_, i) => person(i, keyOf(i)));

async function sync(input: IDataObject[], parameters: INodeParameters = {}) {
	return await runSync(sandbox, { parameters, input });
}

it('a dry run says "Dry run: N would change" first, with a hint to switch to Sync, and shows who would be created', async () => {
	const run = await sync(people(4), { mode: 'dryRun' });
	const [summary] = run.json(0);
	expect(Object.keys(summary)[0]).toBe('decision');
	expect(summary.decision).toBe('Dry run: 4 would change (4 create), nothing was written');
	expect(summary.decision).not.toMatch(/in step/i);
	expect(summary.wouldChange).toBe(4);
	expect(run.hints).toEqual([expect.objectContaining({ type: 'info', message: expect.stringMatching(/^Dry run: 4 would change .*set Mode to Sync/) })]);
	// A planned create names the person, not only the key.
	expect(run.json(1)[2]).toMatchObject({ key: 'emp-2', userName: 'person2@acme.example', displayName: 'Given2 Family2', status: 'planned' });
	expect(sandbox.counters().writes).toBe(0);
});

it('an unchanged run says it is in step, and a real run says what it did; neither adds a hint', async () => {
	const first = await sync(people(3));
	expect(first.json(0)[0].decision).toBe('Synced: 3 create');
	expect(first.json(0)[0].wouldChange).toBeUndefined();
	const second = await sync(people(3));
	expect(second.json(0)[0].decision).toBe('In step: nothing to change');
	const dry = await sync(people(3), { mode: 'dryRun' });
	expect(dry.json(0)[0].decision).toBe('Dry run: nothing would change');
	expect(second.hints).toEqual([]);
});

it.each([
	['e-mail / userName', 'PERSON1@acme.example'],
	['mapping key', 'emp-1'],
])('Explain finds the person by %s and puts the explanation first', async (_label, query) => {
	await sync(people(3));
	const input = people(3);
	(input[1].profile as IDataObject).title = 'Head nurse';
	const run = await sync(input, { mode: 'explain', explainKey: query });
	const [summary] = run.json(0);
	expect(Object.keys(summary).slice(0, 3)).toEqual(['decision', 'explanation', 'explainKey']);
	expect(summary.explainKey).toBe('emp-1');
	expect((summary.explanation as string[]).join('\n')).toMatch(/Head nurse/);
	expect(run.json(1).map((c) => [c.key, c.userName])).toEqual([['emp-1', 'person1@acme.example']]);
	expect(sandbox.counters().writes).toBe(3); // the first run's creates only
});

it('a blocked run (continue on fail) says so first, with a danger hint naming what to do', async () => {
	await sync(people(20));
	const leavers = people(20).map((p, i) => (i < 6 ? { ...p, active: false } : p));
	const run = await runSync(sandbox, { parameters: { guards: { maxDeactivations: 3 } }, input: leavers, continueOnFail: true });
	expect(run.json(0)[0].decision).toMatch(/^Blocked by a safety guard, nothing was written: /);
	expect(run.hints).toEqual([expect.objectContaining({ type: 'danger', message: expect.stringMatching(/Approve Plan/) })]);
});

it('a second source with other mapping keys on the same Plek gets the reset hint (npm start -- --reset)', async () => {
	await sync(people(12, (i) => `guid-${i}`));
	const run = await sync(people(12, (i) => `emp-${i}`), { mode: 'dryRun' });
	const [summary] = run.json(0);
	expect(summary.conflicts).toBe(12);
	expect(summary.hint).toMatch(/^12 people are already managed in Plek under other mapping keys/);
	expect(summary.hint).toMatch(/npm start -- --reset/);
	expect(run.hints?.map((h) => h.type)).toEqual(['info', 'warning']);
	// A few changed keys are a mapping problem, not a second source: no reset hint.
	const few = await sync([...people(12, (i) => `guid-${i}`).slice(3), ...people(3, (i) => `emp-${i}`)], { mode: 'dryRun' });
	expect(few.json(0)[0].hint).toBeUndefined();
});
