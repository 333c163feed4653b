/**
 * Issue 22 in real n8n, on the HR export (CSV) template:
 * - group ownership: with one group rule named by a field (`afdeling`) and the departments handed over in Managed
 *   Groups, a department value `administrators` adds nobody to the hand-made Administrators group (an Issue names the
 *   person and the group), and Remove From Rule Groups never removes its hand-added members;
 * - approvals apply once: an approved plan of 30 deactivations runs, an admin reactivates the people by hand, and the
 *   next run of the same workflow with the same Approve Plan value is refused ("already applied"): the applied
 *   fingerprint is kept in the workflow's static data across `n8n execute` runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { groupSeed, TEMPLATE_GROUPS } from '../../scripts/lib/samples';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
const MAPPER = 'Map to Plek users';
const DEPARTMENTS = TEMPLATE_GROUPS.filter((g) => !['All staff', 'Nurses', 'Managers'].includes(g)).join(', ');
let env: E2eEnvironment;
let sink: SmtpSink; // the template e-mails its run report (Issues, a blocked plan)
let csvPath: string;
let sample: string[];
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-own-'));
let nextId = 1;

async function workflow(patch: Record<string, (node: WorkflowNode) => void>): Promise<string> {
	const id = `PlekE2eOwn${String(nextId++).padStart(6, '0')}`;
	return await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id, credentials: { ...CREDENTIALS }, patch: { ...localPatches(env, { csvPath }), ...patch } }));
}

/** The sample export, with `edit` applied to each data row (columns split on ';'). */
function writeCsv(edit: (cells: string[]) => string[] = (c) => c): void {
	const [header, ...rows] = sample;
	writeFileSync(csvPath, [header, ...rows.map((r) => edit(r.split(';')).join(';'))].join('\n') + '\n');
}

const activeRows = () => sample.slice(1).map((r) => r.split(';')).filter((c) => c[7] === 'ja' && (c[8] ?? '') === '');

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	sample = readFileSync(csvPath, 'utf8').trim().split('\n');
	sink = await startSmtpSink();
	env = await startEnvironment({ smtp: { host: sink.host, port: sink.port }, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
});

afterAll(async () => {
	await env?.close();
	await sink?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

test('a department value never reaches the hand-made Administrators group; its hand-added members stay', async () => {
	env.sandbox.reset();
	env.sandbox.load(groupSeed());
	writeCsv();
	const byField = (node: WorkflowNode) => {
		const rules = (node.parameters.groupRules as { rule: Array<Record<string, string>> }).rule;
		(node.parameters.groupRules as { rule: unknown[] }).rule = [...rules.filter((r) => !/^afdeling = '/.test(r.condition)), { groupFrom: 'field', groupName: 'afdeling', condition: '' }];
	};
	const owned = (node: WorkflowNode) => void (node.parameters.options = { ...(node.parameters.options ?? {}), removeFromRuleGroups: true, managedGroups: DEPARTMENTS });
	const id = await workflow({ [MAPPER]: byField, [SYNC]: owned });
	expectOk(await env.n8n.execute(id));

	// An admin made Administrators by hand: a break-glass account and one synced person in it.
	const [eveKey] = activeRows()[0];
	const [memberKey] = activeRows()[1];
	const users = env.sandbox.users();
	const member = users.find((u) => u.externalId === memberKey)!;
	const root = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'root@delinde.example', active: true };
	env.sandbox.load({ users: [...users, root], groups: [...env.sandbox.groups(), { displayName: 'Administrators', members: [{ value: member.id }] }] });
	const rootId = env.sandbox.users().find((u) => u.userName === 'root@delinde.example')!.id;
	env.sandbox.load({ users: env.sandbox.users(), groups: env.sandbox.groups().map((g) => (g.displayName === 'Administrators' ? { ...g, members: [...g.members, { value: rootId }] } : g)) });

	// Eve's department becomes "administrators".
	writeCsv((c) => (c[0] === eveKey ? c.map((v, i) => (i === 5 ? 'administrators' : v)) : c));
	env.sandbox.resetCounters();
	const run = await env.n8n.execute(id);
	expectOk(run);
	const eve = env.sandbox.users().find((u) => u.externalId === eveKey)!;
	const admins = env.sandbox.groups().find((g) => g.displayName === 'Administrators')!;
	const adminIds = (admins.members ?? []).map((m: { value: string }) => m.value).sort();
	expect(adminIds).toEqual([member.id, rootId].sort());
	expect(adminIds).not.toContain(eve.id);
	const issues = run.output(SYNC)[2].map((i) => i);
	expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'refusedGroup', key: eveKey, groupName: 'administrators' })]));
});

test('an approval applies once: after a hand reactivation, the same Approve Plan value is refused, nothing written', async () => {
	env.sandbox.reset();
	env.sandbox.load(groupSeed());
	writeCsv();
	expectOk(await env.n8n.execute(await workflow({})));

	const leavers = new Set(activeRows().slice(0, 30).map((c) => c[0]));
	writeCsv((c) => (leavers.has(c[0]) ? c.map((v, i) => (i === 7 ? 'nee' : v)) : c));
	const whenBlocked = (approvePlan?: string) => (node: WorkflowNode) =>
		void (node.parameters.guards = { ...(node.parameters.guards ?? {}), whenBlocked: 'output', ...(approvePlan ? { approvePlan } : {}) });
	const blocked = await env.n8n.execute(await workflow({ [SYNC]: whenBlocked() }));
	expectOk(blocked);
	const fingerprint = blocked.output(SYNC)[0][0].fingerprint as string;
	expect(fingerprint).toMatch(/^deactivate30-\d{8}T\d{4}Z-[0-9a-f]{20}$/);

	const approvedId = await workflow({ [SYNC]: whenBlocked(fingerprint) });
	const applied = await env.n8n.execute(approvedId);
	expectOk(applied);
	expect(applied.output(SYNC)[0][0]).toMatchObject({ approved: true, fingerprint });
	expect(env.sandbox.users().filter((u) => leavers.has(u.externalId) && u.active === false)).toHaveLength(30);

	// An admin reactivates the thirty by hand; the scheduled run keeps the Approve Plan value.
	env.sandbox.load({ users: env.sandbox.users().map((u) => ({ ...u, active: true })), groups: env.sandbox.groups() });
	env.sandbox.resetCounters();
	const replay = await env.n8n.execute(approvedId);
	expectOk(replay);
	expect(replay.output(SYNC)[0][0].blocked).toContain(`the approval ${fingerprint} was already applied`);
	expect(env.sandbox.counters().writes).toBe(0);
	expect(env.sandbox.users().filter((u) => u.active === false)).toEqual([]);
});
