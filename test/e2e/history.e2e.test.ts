/**
 * Issue 26 in real n8n: the History output of two runs lands in an n8n Data Table (created if missing, appended to),
 * a Person history workflow finds one person by e-mail (Explain One Person resolves it to the mapping key) and
 * returns their rows newest first; Apply One Person creates exactly one person plus the manager and group
 * membership they need; Limit To First N People applies N people.
 *
 * Data Tables need `n8n start` (or a worker): `n8n execute` does not load n8n's modules, and its Data Table node
 * fails with "Attempted to use Data table node but the module is disabled". So every workflow here starts from a
 * Webhook (answering with its last node's output) on a running n8n, as a scheduled workflow runs in production.
 */
import { randomUUID } from 'node:crypto';

import { startEditor, type RunningEditor } from '../../scripts/lib/editor';
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { freePort } from '../../scripts/lib/ports';
import { groupSeed } from '../../scripts/lib/samples';
import { localPatches } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless } from '../../scripts/lib/workflows';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import type { WorkflowNode } from '../../scripts/lib/workflows';

const SYNC = 'Plek Sync';
const TABLE = 'Plek history';
let env: E2eEnvironment;
let editor: RunningEditor;

/** The History columns (README "History"): httpStatus is a number, everything else text. */
const HISTORY_COLUMNS = [
	'runId', 'time', 'mode', 'kind', 'key', 'userName', 'displayName', 'groupName', 'action', 'actions', 'rule', 'reason', 'outcome',
	'before', 'after', 'groupsAdded', 'groupsRemoved', 'error', 'httpStatus',
].map((name) => ({ name, type: name === 'httpStatus' ? 'number' : 'string' }));

const person = (key: string, extra: Record<string, unknown> = {}) => ({
	key,
	userName: `${key}@acme.example`,
	active: true,
	profile: { 'name.givenName': key, title: 'Nurse' },
	groups: [] as string[],
	...extra,
});

let position = 0;
function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	position += 220;
	return { id: `n${position}`, name, type, typeVersion, position: [position, 0], parameters, ...extra } as WorkflowNode;
}

const to = (target: string, index = 0) => ({ node: target, type: 'main', index });

/** Start -> the people -> Plek Sync (History on); History -> ensure table -> wait for it -> append rows. */
/** The workflow's start: a webhook answering with the last node's items (all of them, or the first one's JSON). */
function webhook(id: string, responseData: 'allEntries' | 'firstEntryJson'): WorkflowNode {
	return node('Start', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: id.toLowerCase(), responseMode: 'lastNode', responseData, options: {} }, { webhookId: randomUUID() });
}

/** Start -> the people -> Plek Sync, History off: the webhook answers with the Summary. */
function plainSyncWorkflow(id: string, people: unknown[], syncParameters: Record<string, unknown>): WorkflowJson {
	position = 0;
	return {
		id,
		name: `Sync e2e ${id}`,
		nodes: [
			webhook(id, 'firstEntryJson'),
			node('People', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ people }), options: {} }),
			node('One per person', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'people', options: {} }),
			node(SYNC, 'n8n-nodes-plek.plekSync', 1, syncParameters, { credentials: { plekApi: CREDENTIALS.plekApi } }),
		],
		connections: {
			Start: { main: [[to('People')]] },
			People: { main: [[to('One per person')]] },
			'One per person': { main: [[to(SYNC)]] },
		},
		settings: { executionOrder: 'v1' },
	} as WorkflowJson;
}

function syncWorkflow(id: string, people: unknown[], syncParameters: Record<string, unknown>): WorkflowJson {
	position = 0;
	return {
		id,
		name: `History e2e ${id}`,
		nodes: [
			webhook(id, 'allEntries'),
			node('People', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ people }), options: {} }),
			node('One per person', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'people', options: {} }),
			node(SYNC, 'n8n-nodes-plek.plekSync', 1, { historyOutput: true, ...syncParameters }, { credentials: { plekApi: CREDENTIALS.plekApi } }),
			node('Ensure history table', 'n8n-nodes-base.dataTable', 1, {
				resource: 'table',
				operation: 'create',
				tableName: TABLE,
				columns: { column: HISTORY_COLUMNS },
				options: { createIfNotExists: true },
			}, { executeOnce: true }),
			node('Table ready', 'n8n-nodes-base.merge', 3.2, { mode: 'chooseBranch', useDataOfInput: 1 }),
			node('Append history', 'n8n-nodes-base.dataTable', 1, {
				resource: 'row',
				operation: 'insert',
				dataTableId: { __rl: true, mode: 'name', value: TABLE },
				columns: { mappingMode: 'autoMapInputData', value: null },
				options: {},
			}),
		],
		connections: {
			Start: { main: [[to('People')]] },
			People: { main: [[to('One per person')]] },
			'One per person': { main: [[to(SYNC)]] },
			[SYNC]: { main: [[], [], [], [to('Table ready', 0), to('Ensure history table')]] },
			'Ensure history table': { main: [[to('Table ready', 1)]] },
			'Table ready': { main: [[to('Append history')]] },
		},
		settings: { executionOrder: 'v1' },
	} as WorkflowJson;
}

/** Person history (as templates/person-history.json): the people -> Explain One Person (query) -> that key's rows,
 * newest first -> one answer with today's explanation and the rows. */
function personHistoryWorkflow(id: string, people: unknown[], query: string): WorkflowJson {
	position = 0;
	return {
		id,
		name: `Person history e2e ${id}`,
		nodes: [
			webhook(id, 'firstEntryJson'),
			node('People', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ people }), options: {} }),
			node('One per person', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'people', options: {} }),
			node('Explain', 'n8n-nodes-plek.plekSync', 1, { mode: 'explain', explainKey: query }, { credentials: { plekApi: CREDENTIALS.plekApi } }),
			node('History of the person', 'n8n-nodes-base.dataTable', 1, {
				resource: 'row',
				operation: 'get',
				dataTableId: { __rl: true, mode: 'name', value: TABLE },
				matchType: 'allConditions',
				filters: { conditions: [{ keyName: 'key', condition: 'eq', keyValue: '={{ $json.explainKey }}' }] },
				returnAll: true,
				orderBy: true,
				orderByColumn: 'time',
				orderByDirection: 'DESC',
			}, { alwaysOutputData: true }),
			node('All rows', 'n8n-nodes-base.aggregate', 1, { aggregate: 'aggregateAllItemData', destinationFieldName: 'history', options: {} }),
			node('Answer', 'n8n-nodes-base.set', 3.4, {
				mode: 'raw',
				jsonOutput: "={{ JSON.stringify({ person: $('Explain').first().json.explainKey, today: $('Explain').first().json.explanation, history: $json.history.filter(row => row.runId) }) }}",
				options: {},
			}),
		],
		connections: {
			Start: { main: [[to('People')]] },
			People: { main: [[to('One per person')]] },
			'One per person': { main: [[to('Explain')]] },
			Explain: { main: [[to('History of the person')]] },
			'History of the person': { main: [[to('All rows')]] },
			'All rows': { main: [[to('Answer')]] },
		},
		settings: { executionOrder: 'v1' },
	} as WorkflowJson;
}

type Json = Record<string, unknown>;

/** A webhook call; n8n answers "not registered" until it has activated the published workflows after start-up. */
async function whenRegistered(url: string, init: RequestInit = {}): Promise<Response> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const response = await fetch(url, init);
		if (response.status !== 404 || Date.now() > deadline) return response;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/** Runs a published workflow through its webhook; the answer is its last node's output. */
async function call<T = Json>(id: string): Promise<T> {
	const response = await whenRegistered(`${editor.url}/webhook/${id.toLowerCase()}`, { method: 'POST' });
	const text = await response.text();
	if (!response.ok) throw new Error(`workflow ${id}: HTTP ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

const nurse = (title: string) =>
	person('E1001', { profile: { 'name.givenName': 'Florence', title, 'emails[type eq "work"].value': 'f.nightingale@acme.example' } });
const RUN_ONE = [nurse('Nurse'), person('E1002'), person('E1003', { active: false })];
const RUN_TWO = [nurse('Head nurse'), person('E1002'), person('E1003', { active: false })];
const STAFF = [
	person('E2001', { manager: 'E2002', groups: ['Ward 3'], profile: { 'name.givenName': 'Mary', 'emails[type eq "work"].value': 'm.seacole@acme.example' } }),
	person('E2002'),
	person('E2003', { groups: ['Ward 3'] }),
	person('E2004', { manager: 'E2002' }),
];
const MANY = Array.from({ length: 12 }, (_, i) => person(`E3${String(i).padStart(3, '0')}`));
const EVERYONE = ['E4001', 'E4002', 'E4003', 'E4004'].map((k) => person(k));
const CHANGED = [person('E4001', { profile: { 'name.givenName': 'E4001', title: 'Boss' } })];

const WORKFLOWS: WorkflowJson[] = [
	syncWorkflow('PlekHistoryRun01', RUN_ONE, {}),
	syncWorkflow('PlekHistoryRun02', RUN_TWO, {}),
	personHistoryWorkflow('PlekHistoryLook1', RUN_TWO, 'F.Nightingale@acme.example'),
	plainSyncWorkflow('PlekApplyOne0001', STAFF, { mode: 'applyOne', explainKey: 'm.seacole@acme.example', options: { createMissingGroups: true } }),
	plainSyncWorkflow('PlekLimitFirst01', MANY, { options: { limitPeople: 5 } }),
	plainSyncWorkflow('PlekApplyBase001', EVERYONE, {}),
	plainSyncWorkflow('PlekApplyProt001', CHANGED, { mode: 'applyOne', explainKey: 'E4001', options: { protectedAccounts: 'e4001@acme.example' }, guards: { minSourceRatio: 0 } }),
	plainSyncWorkflow('PlekApplyBlock01', CHANGED, { mode: 'applyOne', explainKey: 'E4001', deactivateMissing: true, guards: { whenBlocked: 'output' } }),
];

/** The HR REST API template and Person history as shipped (History branch included), started by webhooks. */
function shippedTemplates(): WorkflowJson[] {
	const trigger = (node: WorkflowNode) => {
		Object.assign(node, { type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: randomUUID() });
		node.parameters = { httpMethod: 'POST', path: 'plek-history-template', responseMode: 'lastNode', options: {} };
	};
	// No SMTP server here: the run report goes nowhere.
	const noMail = (node: WorkflowNode) => Object.assign(node, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {}, credentials: undefined });
	const patch = { ...localPatches(env), 'Every day at 07:00': trigger, 'E-mail the run report': noMail };
	const sync = toHeadless(loadTemplate('hr-rest-api'), { id: 'PlekHistTplSync1', credentials: { ...CREDENTIALS }, history: true, patch });
	const lookup = toHeadless(loadTemplate('person-history'), { id: 'PlekPersonHist01', credentials: { ...CREDENTIALS }, history: true, syncMode: 'asShipped', patch: localPatches(env) });
	return [sync, lookup];
}

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: true });
	for (const workflow of [...WORKFLOWS, ...shippedTemplates()]) {
		await env.n8n.importWorkflow(workflow);
		const published = await env.n8n.cli(['publish:workflow', `--id=${workflow.id}`]);
		if (published.code !== 0) throw new Error(`publish:workflow ${workflow.id} failed: ${published.stdout}\n${published.stderr}`);
	}
	editor = await startEditor(env, { port: await freePort() });
}, 600_000);

afterAll(async () => {
	await editor?.stop();
	await env?.close();
});

beforeEach(() => {
	env.sandbox.reset();
	env.sandbox.resetCounters();
});

const actions = (rows: Json[]) => rows.map((r) => [r.key, r.action, r.outcome]);

test('History rows of two runs land in a Data Table; Person history finds them by e-mail, newest first, with today\'s Explain', async () => {
	const first = await call<Json[]>('PlekHistoryRun01');
	expect(actions(first)).toEqual([
		['E1001', 'create', 'done'],
		['E1002', 'create', 'done'],
		['E1003', 'skipped', 'skipped'],
	]);
	const second = await call<Json[]>('PlekHistoryRun02');
	expect(actions(second)).toEqual([
		['E1001', 'update', 'done'],
		['E1003', 'skipped', 'skipped'],
	]);

	const answer = await call('PlekHistoryLook1');
	expect(answer.person).toBe('E1001');
	expect((answer.today as string[]).join('\n')).toMatch(/e-mail of mapping key "E1001"/);
	const rows = answer.history as Json[];
	expect(rows.map((r) => [r.action, r.outcome, r.after])).toEqual([
		['update', 'done', '{"title":"Head nurse"}'],
		['create', 'done', expect.stringContaining('"title":"Nurse"')],
	]);
	expect(rows[0].before).toBe('{"title":"Nurse"}');
	expect(rows[0].runId).not.toBe(rows[1].runId);
	expect(rows[0].reason).toMatch(/Plek follows the source/);
});

test('Apply One Person creates exactly that person and the manager and group they need; Limit To First N applies N people', async () => {
	const summary = await call('PlekApplyOne0001');
	const users = env.sandbox.users();
	expect(users.map((u) => u.externalId).sort()).toEqual(['E2001', 'E2002']);
	expect(env.sandbox.groups().map((g) => [g.displayName, (g.members as Array<{ value: string }>).map((m) => m.value)])).toEqual([
		['Ward 3', [users.find((u) => u.externalId === 'E2001')!.id]],
	]);
	expect(summary).toMatchObject({ mode: 'applyOne', person: 'E2001', foundBy: 'email', dependencies: ['E2002'], failed: 0 });
	expect((summary.steps as Array<{ step: string; about: string; outcome: string }>).map((s) => `${s.step} ${s.about} ${s.outcome}`)).toEqual([
		'create user E2001 created',
		'create user E2002 created',
		'patch user E2001 updated',
		'create group Ward 3 created',
		'add to group E2001 updated',
	]);

	env.sandbox.reset();
	const limited = await call('PlekLimitFirst01');
	expect(env.sandbox.users().map((u) => u.externalId).sort()).toEqual(['E3000', 'E3001', 'E3002', 'E3003', 'E3004']);
	expect(limited).toMatchObject({ limitedTo: 5, done: { create: 5 } });
});

test('Apply One Person respects protection and the guards: nothing is written for a protected person or a blocked plan', async () => {
	expect(await call('PlekApplyBase001')).toMatchObject({ done: { create: 4 } });
	env.sandbox.resetCounters();
	expect((await call('PlekApplyProt001')).decision).toBe('Apply One Person: nothing to write for E4001');
	const blocked = await call('PlekApplyBlock01');
	expect(blocked).toMatchObject({ blocked: expect.stringMatching(/deactivat/i), done: { update: 0 } });
	expect(env.sandbox.counters().writes).toBe(0);
});

test('the templates as shipped: the HR REST API run appends its History to the Data Table, Person history finds a person by e-mail', async () => {
	env.sandbox.load(groupSeed());
	const run = await whenRegistered(`${editor.url}/webhook/plek-history-template`, { method: 'POST' });
	expect(run.status).toBe(200);
	const sander = env.sandbox.users().find((u) => u.userName === 'sander.vandenhuisman@delinde.example');
	expect(sander).toBeDefined();
	const response = await whenRegistered(`${editor.url}/webhook/plek-person-history?person=${encodeURIComponent('Sander.vandenHuisman@delinde.example')}`);
	expect(response.status).toBe(200);
	const answer = (await response.json()) as Json;
	expect(answer.person).toBe(sander!.externalId);
	expect((answer.today as string[]).join('\n')).toMatch(/found by externalId/);
	expect((answer.history as Json[]).map((r) => [r.key, r.action, r.outcome, r.mode])).toEqual([[sander!.externalId, 'create', 'done', 'apply']]);
});
