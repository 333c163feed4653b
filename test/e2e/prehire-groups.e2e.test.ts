/**
 * Issue 14, items 5 and 7 in real n8n, on the HR export (CSV) template:
 * - a pre-hire (Start Date `$startDate(datum_in_dienst)`, Create Pre-hires 7 days ahead) is not created 15 days
 *   ahead, created inactive (in its group) 7 days ahead, left alone the day before, activated on the start date;
 *   the clock is the Sync's Today Is (for Tests) option;
 * - a mover between two departments under ONE group rule named by a field (`afdeling`) leaves the old department's
 *   group and joins the new one (Remove From Rule Groups).
 * A re-run after each writes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { groupSeed, membersByGroup } from '../../scripts/lib/samples';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';
import { expectOk } from './lib/assert';

const SYNC = 'Sync to Plek';
const MAPPER = 'Map to Plek users';
const PRE_HIRE = '199001';
let env: E2eEnvironment;
let csvPath: string;
let sample: string[];
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-prehire-'));
let nextId = 1;

/** The CSV template with the Mapper's and the Sync's parameters patched; a fresh workflow id per variant. */
async function workflow(mapper: (node: WorkflowNode) => void, sync: (node: WorkflowNode) => void): Promise<string> {
	const id = `PlekE2ePreHire${String(nextId++).padStart(2, '0')}`;
	const patch = { ...localPatches(env, { csvPath }), [MAPPER]: mapper, [SYNC]: sync };
	return await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id, credentials: { ...CREDENTIALS }, patch }));
}

/** The sample export with a start-date column (empty for everyone), plus the given rows. */
function writeCsv(rows: string[] = [], edit: (row: string) => string = (row) => row): void {
	const [header, ...people] = sample;
	writeFileSync(csvPath, [`${header};datum_in_dienst`, ...people.map((r) => `${edit(r)};`), ...rows].join('\n') + '\n');
}

const userByKey = (key: string) => env.sandbox.users().find((u) => u.externalId === key) as { id: string; active?: boolean } | undefined;

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	sample = readFileSync(csvPath, 'utf8').trim().split('\n');
	env = await startEnvironment({ n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
});

afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

test('a pre-hire is created inactive 7 days ahead and activated on its start date (Today Is moves the clock); re-runs write nothing', async () => {
	env.sandbox.reset();
	env.sandbox.load(groupSeed());
	writeCsv([`${PRE_HIRE};Nina;;Nieuw;nina.nieuw@delinde.example;Care;Nurse;ja;;04-01-2027`]);
	const startDate = (node: WorkflowNode) => void (node.parameters.startDate = '$startDate(datum_in_dienst)');
	const run = async (today: string) =>
		await env.n8n.execute(
			await workflow(startDate, (node) => void (node.parameters.options = { ...(node.parameters.options ?? {}), preHireDays: 7, today, timeZone: 'Europe/Amsterdam' })),
		);

	const early = await run('2026-12-20');
	expectOk(early);
	expect(early.output(SYNC)[0][0].done.create).toBeGreaterThan(100);
	expect(userByKey(PRE_HIRE)).toBeUndefined();

	env.sandbox.resetCounters();
	const ahead = await run('2026-12-28');
	expectOk(ahead);
	expect(ahead.output(SYNC)[0][0].done).toMatchObject({ create: 1, reactivate: 0 });
	const account = userByKey(PRE_HIRE);
	expect(account?.active).toBe(false);
	expect(membersByGroup(env.sandbox.groups()).get('Care')?.has(account!.id)).toBe(true);

	env.sandbox.resetCounters();
	expectOk(await run('2027-01-03'));
	expect(env.sandbox.counters().writes).toBe(0);

	const day = await run('2027-01-04');
	expectOk(day);
	expect(day.output(SYNC)[0][0].done).toMatchObject({ create: 0, reactivate: 1 });
	expect(userByKey(PRE_HIRE)?.active).toBe(true);

	env.sandbox.resetCounters();
	expectOk(await run('2027-01-04'));
	expect(env.sandbox.counters().writes).toBe(0);
});

test('a mover between two departments under one group rule named by a field leaves the old group; a re-run writes nothing', async () => {
	env.sandbox.reset();
	env.sandbox.load(groupSeed());
	writeCsv();
	// One rule for every department instead of the template's one rule per department.
	const fieldRule = (node: WorkflowNode) => {
		const rules = (node.parameters.groupRules as { rule: Array<Record<string, string>> }).rule;
		const kept = rules.filter((r) => !/^afdeling = '/.test(r.condition));
		(node.parameters.groupRules as { rule: unknown[] }).rule = [...kept, { groupFrom: 'field', groupName: 'afdeling', condition: '' }];
	};
	// Issue 22: a rule named by a field reaches only groups handed over to the Sync (Managed Groups).
	const remove = (node: WorkflowNode) =>
		void (node.parameters.options = { ...(node.parameters.options ?? {}), removeFromRuleGroups: true, managedGroups: 'Care, Home Care, Facilities, Finance, HR, ICT, Communication, Management' });
	const id = await workflow(fieldRule, remove);
	const first = await env.n8n.execute(id);
	expectOk(first);
	expect(first.output(SYNC)[0][0].issues ?? 0).toBeFalsy();
	const [moverKey] = sample[1].split(';');
	expect(sample[1].split(';')[5]).toBe('Care');
	const mover = userByKey(moverKey)!;
	let members = membersByGroup(env.sandbox.groups());
	expect(members.get('Care')?.has(mover.id)).toBe(true);
	expect(members.get('Finance')?.has(mover.id)).toBe(false);

	writeCsv([], (row) => (row.startsWith(`${moverKey};`) ? row.split(';').map((v, i) => (i === 5 ? 'Finance' : v)).join(';') : row));
	env.sandbox.resetCounters();
	const moved = await env.n8n.execute(id);
	expectOk(moved);
	expect(moved.output(SYNC)[0][0].done).toMatchObject({ groupAdd: 1, groupRemove: 1, update: 1 });
	members = membersByGroup(env.sandbox.groups());
	expect(members.get('Care')?.has(mover.id)).toBe(false);
	expect(members.get('Finance')?.has(mover.id)).toBe(true);
	expect(members.get('All staff')?.has(mover.id)).toBe(true);

	env.sandbox.resetCounters();
	expectOk(await env.n8n.execute(id));
	expect(env.sandbox.counters().writes).toBe(0);
});
