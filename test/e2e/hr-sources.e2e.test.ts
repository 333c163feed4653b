/**
 * The HR export (CSV) and HR REST API templates in real n8n: the CSV template reads a real file from disk, the REST
 * template pages through a real HTTP API on loopback. Each: a first sync creates everyone, a second run writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { ENTERPRISE, groupSeed, membersByGroup, samplePeople } from '../../scripts/lib/samples';
import { localPatches, placeSampleCsv } from '../../scripts/lib/templates';
import { findNode, loadTemplate, toHeadless } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
const people = samplePeople();
const active = people.filter((p) => p.active);

let env: E2eEnvironment;
let csvPath: string;
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-files-'));

beforeAll(async () => {
	csvPath = placeSampleCsv(filesDir);
	env = await startEnvironment({ hrApi: true, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	const patch = localPatches(env, { csvPath });
	await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-csv-export'), { id: 'PlekE2eCsvSync01', credentials: { ...CREDENTIALS }, patch }));
	await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-rest-api'), { id: 'PlekE2eRestSync1', credentials: { ...CREDENTIALS }, patch }));
});

afterAll(async () => {
	await env?.close();
	rmSync(filesDir, { recursive: true, force: true });
});


describe.each([
	{ template: 'hr-csv-export', id: 'PlekE2eCsvSync01', key: (p: (typeof people)[number]) => p.employeeNumber, source: 'Extract CSV rows' },
	{ template: 'hr-rest-api', id: 'PlekE2eRestSync1', key: (p: (typeof people)[number]) => `E${p.employeeNumber}`, source: 'One item per employee' },
])('$template template', ({ template, id, key, source }) => {
	beforeAll(() => {
		env.sandbox.load(groupSeed());
		env.sandbox.resetCounters();
	});

	test('starts with a daily Schedule Trigger and carries sticky notes', () => {
		const workflow = loadTemplate(template);
		expect(findNode(workflow, 'n8n-nodes-base.scheduleTrigger')).toBeDefined();
		expect(workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(3);
	});

	test('first sync creates every active person with profile and groups; leavers are not created', async () => {
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.output(source)[0]).toHaveLength(people.length);
		const [summary] = result.output(SYNC)[0];
		expect(summary).toMatchObject({ failed: 0, conflicts: 0 });
		expect(summary.done.create).toBe(active.length);
		const users = env.sandbox.users();
		expect(new Set(users.map((u) => u.externalId))).toEqual(new Set(active.map(key)));
		const someone = active.find((p) => p.particle !== '')!;
		const user = users.find((u) => u.externalId === key(someone))!;
		expect(user).toMatchObject({
			userName: someone.mail,
			active: true,
			name: { givenName: someone.givenName, familyName: `${someone.particle} ${someone.familyName}` },
			title: someone.title,
			[ENTERPRISE]: expect.objectContaining({ department: someone.department }),
		});
		const members = membersByGroup(env.sandbox.groups());
		expect(members.get('All staff')!.size).toBe(active.length);
		expect(members.get(someone.department)!.has(user.id)).toBe(true);
	});

	test('a second run with the same source writes nothing', async () => {
		env.sandbox.resetCounters();
		const result = await env.n8n.execute(id);
		expectOk(result);
		const [summary] = result.output(SYNC)[0];
		expect(summary.unchanged).toBe(active.length);
		expect(result.output(SYNC)[1]).toHaveLength(0);
		expect(env.sandbox.counters().writes).toBe(0);
	});
});

test('the REST template fetched the API page by page', () => {
	// 300 people, 100 per page: 3 pages for each of the two runs (plus a possible empty last page).
	expect(env.hrApi!.requests()).toBeGreaterThanOrEqual(6);
});
