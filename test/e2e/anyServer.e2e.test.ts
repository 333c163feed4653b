/**
 * Issue 23 in real n8n, on the HR export (CSV) template: 274 people against the sandbox playing the two SCIM servers
 * nobody here wrote — at most 50 users per page with totalResults the page length (and userName the only unique
 * attribute), and capped at the page size with discovery off. The first run creates all, the unchanged second run
 * writes nothing, a renamed person is updated in place, two missing people are deactivated (Deactivate Missing on),
 * and a hand-made account that only a lookup finds (hidden from lists) is adopted on the 409 path (Adopt Existing
 * Accounts by userName). Never a second account for a key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { groupSeed } from '../../scripts/lib/samples';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';
import type { QuirkKnobs } from '../../sandbox/server';

const SYNC = 'Sync to Plek';
const PEOPLE = 274;
let env: E2eEnvironment;
let csvPath: string;
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-any-server-'));
let nextId = 1;

interface Row {
	fields: string[];
}
let header = '';
let rows: Row[] = [];

/** The sample export cut to 274 active people (actief = ja, no leave date). */
function readRows(): void {
	const [head, ...lines] = readFileSync(csvPath, 'utf8').trim().split('\n');
	header = head;
	rows = lines
		.map((line) => ({ fields: line.split(';') }))
		.filter((r) => r.fields[7] === 'ja' && !r.fields[8])
		.slice(0, PEOPLE);
}

function writeCsv(list: Row[]): void {
	writeFileSync(csvPath, [header, ...list.map((r) => r.fields.join(';'))].join('\n') + '\n');
}

async function workflow(options: { adopt?: boolean } = {}): Promise<string> {
	const id = `PlekE2eAny${String(nextId++).padStart(6, '0')}`;
	const sync = (node: WorkflowNode) => {
		node.parameters.mode = 'apply';
		node.parameters.deactivateMissing = true;
		node.parameters.adoptUnmanaged = options.adopt ? 'userName' : 'off';
	};
	const patch = { ...localPatches(env, { csvPath }), [SYNC]: sync };
	return await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id, credentials: { ...CREDENTIALS }, patch }));
}

function duplicateKeys(): string[] {
	const count = new Map<string, number>();
	for (const u of env.sandbox.users()) if (typeof u.externalId === 'string') count.set(u.externalId, (count.get(u.externalId) ?? 0) + 1);
	return [...count].filter(([, n]) => n > 1).map(([key]) => key);
}

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	readRows();
	env = await startEnvironment({ n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
});

afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

const SERVERS: Array<[string, Partial<QuirkKnobs>]> = [
	['at most 50 per page, totalResults the page length', { pageCap: 50, totalResultsAs: 'pageLength', externalIdNotUnique: true, hideUnmanagedFromLists: true }],
	['capped at the page size, no discovery', { pageCap: 50, totalResultsAs: 'pageSize', noDiscovery: 404, externalIdNotUnique: true, hideUnmanagedFromLists: true }],
];

test.each(SERVERS)('a server %s: create all, then nothing; a rename in place; two leavers; adoption on the 409 path', async (_name, quirks) => {
	env.sandbox.setFaults({ quirks: {} });
	env.sandbox.load(groupSeed());
	env.sandbox.setFaults({ quirks });
	writeCsv(rows);

	const first = await env.n8n.execute(await workflow());
	expectOk(first);
	expect(first.output(SYNC)[0][0]).toMatchObject({ failed: 0, done: { create: PEOPLE } });
	expect(env.sandbox.users()).toHaveLength(PEOPLE);

	env.sandbox.resetCounters();
	const second = await env.n8n.execute(await workflow());
	expectOk(second);
	expect(env.sandbox.counters().writes).toBe(0);

	// A rename (new e-mail, so a new userName; same personeelsnummer), two people gone, one new person whose
	// e-mail a hand-made Plek account holds (lists hide it; only the lookup after the 409 finds it).
	const renamed = rows[10].fields.slice();
	const oldEmail = renamed[4];
	renamed[4] = `renamed.${oldEmail}`;
	const newcomer = rows[0].fields.slice();
	newcomer[0] = '999999';
	newcomer[1] = 'Hand';
	newcomer[4] = 'hand.made@delinde.example';
	const gone = [rows[20].fields[0], rows[21].fields[0]];
	const changed = [...rows.slice(0, 10), { fields: renamed }, ...rows.slice(11).filter((r) => !gone.includes(r.fields[0])), { fields: newcomer }];
	writeCsv(changed);
	env.sandbox.setFaults({ quirks: {} });
	env.sandbox.load({ users: env.sandbox.users().concat([{ userName: 'hand.made@delinde.example', active: true, name: { givenName: 'Hand', familyName: 'Made' } } as never]), groups: env.sandbox.groups() });
	env.sandbox.setFaults({ quirks });

	const third = await env.n8n.execute(await workflow({ adopt: true }));
	expectOk(third);
	const summary = third.output(SYNC)[0][0];
	expect(summary).toMatchObject({ failed: 0, done: { create: 0, update: 1, deactivate: 2, adopt: 1 } });
	const byKey = (key: string) => env.sandbox.users().filter((u) => u.externalId === key);
	expect(byKey(rows[10].fields[0])).toEqual([expect.objectContaining({ userName: `renamed.${oldEmail}` })]);
	expect(gone.flatMap(byKey).map((u) => u.active)).toEqual([false, false]);
	expect(env.sandbox.users().filter((u) => String(u.userName).toLowerCase() === 'hand.made@delinde.example')).toEqual([
		expect.objectContaining({ externalId: '999999' }),
	]);
	expect(env.sandbox.users()).toHaveLength(PEOPLE + 1);
	expect(duplicateKeys()).toEqual([]);

	env.sandbox.resetCounters();
	expectOk(await env.n8n.execute(await workflow({ adopt: true })));
	expect(env.sandbox.counters().writes).toBe(0);
});
