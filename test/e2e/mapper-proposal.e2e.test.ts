/**
 * A customer's own export to a correct sync with no hand-written expression, in real n8n: the HR CSV template reads
 * the file from disk, its Plek Mapper set to Propose Mapping outputs the proposal, the proposal's `mapperNode` (what
 * the engineer pastes on the canvas) becomes the template's Mapper, and the Sync creates every person right: an
 * AFAS-style export (BOM, `;`, Dutch headers, dd-mm-yyyy, particles, partner names) and a BambooHR-like English one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expectOk } from './lib/assert';
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { AFAS_NAMES, AFAS_ROWS, BAMBOO_ROWS } from '../mapping/proposeFixtures';
import { ENTERPRISE } from '../support/scim';

const MAPPER_TYPE = 'n8n-nodes-plek.plekMapper';
const SYNC_TYPE = 'n8n-nodes-plek.plekSync';

const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-proposal-'));
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: false, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
});
afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

/** The rows as a CSV file; the first header carries the BOM when the rows' first key does (AFAS writes UTF-8 with a BOM). */
function writeCsv(name: string, rows: ReadonlyArray<Record<string, string>>, delimiter: string): string {
	const headers = Object.keys(rows[0]);
	const lines = [headers.join(delimiter), ...rows.map((row) => headers.map((h) => row[h]).join(delimiter))];
	const path = join(filesDir, name);
	writeFileSync(path, `${lines.join('\r\n')}\r\n`, 'utf8');
	return path;
}

/** The HR CSV template pointed at the file, its Mapper given these parameters; without the Sync when `proposeOnly`. */
function templateFor(id: string, csvPath: string, delimiter: string, mapperParameters: Record<string, unknown>, proposeOnly: boolean): WorkflowJson {
	const workflow = toHeadless(loadTemplate('hr-csv-export'), {
		id,
		credentials: { ...CREDENTIALS },
		syncMode: 'apply',
		patch: {
			'n8n-nodes-base.readWriteFile': (node: WorkflowNode) => {
				node.parameters.fileSelector = csvPath;
			},
			'n8n-nodes-base.extractFromFile': (node: WorkflowNode) => {
				node.parameters.options = { ...(node.parameters.options ?? {}), delimiter };
			},
			[MAPPER_TYPE]: (node: WorkflowNode) => {
				node.parameters = mapperParameters;
			},
		},
	});
	// The run report (e-mail) is not what is tested here, and there is no mail server.
	delete workflow.connections[workflow.nodes.find((n) => n.type === SYNC_TYPE)!.name];
	if (proposeOnly) delete workflow.connections[workflow.nodes.find((n) => n.type === MAPPER_TYPE)!.name];
	return workflow;
}

/** Runs the template with the Mapper in Propose Mapping mode; returns the pasted node's parameters and the proposal. */
async function propose(id: string, csvPath: string, delimiter: string) {
	const workflow = templateFor(id, csvPath, delimiter, { mode: 'propose' }, true);
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(id);
	expectOk(result);
	const mapperName = workflow.nodes.find((n) => n.type === MAPPER_TYPE)!.name;
	const [[proposal]] = result.output(mapperName);
	const pasted = JSON.parse(proposal.mapperNode) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
	expect(pasted.nodes.map((n) => n.type)).toEqual([MAPPER_TYPE]);
	return { proposal, parameters: pasted.nodes[0].parameters };
}

/** Runs the template with the pasted Mapper and the Sync; returns the Sync's summary. */
async function syncWith(id: string, csvPath: string, delimiter: string, parameters: Record<string, unknown>) {
	const workflow = templateFor(id, csvPath, delimiter, parameters, false);
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(id);
	expectOk(result);
	const syncName = workflow.nodes.find((n) => n.type === SYNC_TYPE)!.name;
	const mapperName = workflow.nodes.find((n) => n.type === MAPPER_TYPE)!.name;
	expect(result.output(mapperName)[1] ?? []).toEqual([]);
	return result.output(syncName)[0][0];
}

const byKey = () => new Map(env.sandbox.users().map((u) => [u.externalId as string, u as Record<string, any>]));

test('AFAS-style export (BOM, ;, Dutch headers, dd-mm-yyyy, particles, partner names): proposal -> pasted Mapper -> everyone right', async () => {
	env.sandbox.reset();
	const csv = writeCsv('afas-export.csv', AFAS_ROWS, ';');
	const { proposal, parameters } = await propose('PlekE2eProposeAfas1', csv, ';');
	expect(proposal.source).toBe('dutch');
	expect(proposal.notes).toEqual([]);
	expect(parameters).toMatchObject({ mode: 'fields', mappingKey: 'Medewerker', manager: 'Leidinggevende' });

	const summary = await syncWith('PlekE2eProposeAfas2', csv, ';', parameters);
	expect(summary).toMatchObject({ failed: 0, conflicts: 0, invalid: 0 });
	expect(summary.done.create).toBe(5); // 10006 left in 2020: never created
	const users = byKey();
	expect([...users.keys()].sort()).toEqual(['10001', '10002', '10003', '10004', '10005']);
	for (const [key, user] of users) {
		const [given, family, display] = AFAS_NAMES[key];
		expect([key, user.name?.givenName, user.name?.familyName, user.displayName]).toEqual([key, given, family, display]);
		const row = AFAS_ROWS.find((r) => r['\uFEFFMedewerker'] === key)!;
		expect(user).toMatchObject({ userName: row['E-mail werk'].toLowerCase(), active: true, title: row.Functie });
		expect(user[ENTERPRISE]).toMatchObject({ department: row.Afdeling, employeeNumber: key });
		const managerKey = row.Leidinggevende;
		expect(user[ENTERPRISE]?.manager?.value).toBe(managerKey ? users.get(managerKey)!.id : undefined);
	}
});

test('BambooHR-like English export: proposal -> pasted Mapper -> everyone right, the leaver and the pre-hire not created', async () => {
	env.sandbox.reset();
	const csv = writeCsv('bamboo-export.csv', BAMBOO_ROWS, ',');
	const { proposal, parameters } = await propose('PlekE2eProposeBamb1', csv, ',');
	expect(proposal.source).toBe('english');
	expect(parameters).toMatchObject({ mappingKey: 'employeeNumber', userName: '$normalizeEmail(workEmail)', manager: 'supervisorId' });

	const summary = await syncWith('PlekE2eProposeBamb2', csv, ',', parameters);
	expect(summary).toMatchObject({ failed: 0, conflicts: 0, invalid: 0 });
	const users = byKey();
	expect([...users.keys()].sort()).toEqual(['E-101', 'E-102']);
	expect(users.get('E-102')).toMatchObject({
		userName: 'tom.mcdonald@acme.example',
		name: { givenName: 'Tom', familyName: 'McDonald' },
		displayName: 'Tom McDonald',
		title: 'Engineer',
		[ENTERPRISE]: expect.objectContaining({ department: 'R&D', employeeNumber: 'E-102', manager: expect.objectContaining({ value: users.get('E-101')!.id }) }),
	});
});
