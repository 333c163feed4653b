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
/** The items each template's source node handed on in its first sync, by template. */
const arrived = new Map<string, Array<Record<string, unknown>>>();
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
		arrived.set(template, result.output(source)[0]);
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

test('the REST template fetched the API page by page, and every person of every page reached the Sync', () => {
	const employees = env.hrApi!.employees();
	expect(employees).toHaveLength(300);
	const page = (n: number) => ({ page: n, cursor: null, limit: 100, ids: employees.slice((n - 1) * 100, n * 100).map((e) => e.id) });
	// 300 people, 100 per page: pages 1, 2 and 3 in each of the two runs, none twice, none skipped, no empty fourth.
	expect(env.hrApi!.served()).toEqual([page(1), page(2), page(3), page(1), page(2), page(3)]);
	expect(env.hrApi!.requests()).toBe(6);
	expect(new Set([1, 2, 3].flatMap((n) => page(n).ids)).size).toBe(300);
	// Everyone the pages held arrived at the Mapper, in page order.
	expect(arrived.get('hr-rest-api')!.map((item) => item.id)).toEqual([1, 2, 3].flatMap((n) => page(n).ids));
});
