/**
 * The Plek Mapper in real n8n against a customer's export: a byte-order mark on the first column is removed by the
 * Mapper itself, and an export whose columns were renamed fails the execution (so the error workflow fires) with
 * the columns the rules expect and the ones the export has, instead of a silent success with everyone Invalid.
 */
import { expectOk } from './lib/assert';
import { E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import type { WorkflowJson } from '../../scripts/lib/n8n';

const MAPPER = 'Plek Mapper';

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: false });
});
afterAll(async () => {
	await env?.close();
});

/** Manual Trigger -> Set (the rows as JSON) -> Split Out (one item per row) -> Plek Mapper. */
export function exportWorkflow(id: string, rows: Array<Record<string, unknown>>, mapperParameters: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name: `Mapper columns ${id}`,
		nodes: [
			{ id: 'c1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c2',
				name: 'Export',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
			},
			{
				id: 'c3',
				name: 'One per row',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'rows', options: {} },
			},
			{ id: 'c4', name: MAPPER, type: 'n8n-nodes-plek.plekMapper', typeVersion: 1, position: [660, 0], parameters: mapperParameters },
		],
		connections: {
			Start: { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
			Export: { main: [[{ node: 'One per row', type: 'main', index: 0 }]] },
			'One per row': { main: [[{ node: MAPPER, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const MAPPER_PARAMETERS = {
	mode: 'fields',
	mappingKey: 'Medewerker',
	userName: '$normalizeEmail(`E-mail werk`)',
	active: 'true',
	profileFields: { field: [{ path: 'title', expression: 'Functie', apply: 'always' }] },
	options: {},
};

const row = (id: string, email: string, functie: string, first = 'Medewerker') => ({ [first]: id, 'E-mail werk': email, Functie: functie });

test('a BOM on the first column name is removed by the Mapper: every person maps, and the run says so once', async () => {
	const rows = [row('10001', 'j.jansen@acme.example', 'Verpleegkundige', '\uFEFFMedewerker'), row('10002', 'p.devries@acme.example', 'Kok', '\uFEFFMedewerker')];
	const workflow = exportWorkflow('PlekE2eColumns01', rows, MAPPER_PARAMETERS);
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expectOk(result);
	const [users, invalid] = result.output(MAPPER);
	expect(invalid).toEqual([]);
	expect(users.map((u) => [u.key, u.userName, u.profile.title])).toEqual([
		['10001', 'j.jansen@acme.example', 'Verpleegkundige'],
		['10002', 'p.devries@acme.example', 'Kok'],
	]);
	const hints = JSON.stringify(result.run?.data.resultData.runData[MAPPER]?.[0] ?? {});
	expect(hints.match(/Removed an invisible byte-order mark/g) ?? []).toHaveLength(1);
});

test('an export with renamed columns fails the execution, naming the expected and found columns', async () => {
	const renamed = [
		{ Personeelsnummer: '10001', 'E-mail': 'j.jansen@acme.example', Functie: 'Verpleegkundige' },
		{ Personeelsnummer: '10002', 'E-mail': 'p.devries@acme.example', Functie: 'Kok' },
		{ Personeelsnummer: '10003', 'E-mail': 'a.bakker@acme.example', Functie: 'Arts' },
		{ Personeelsnummer: '10004', 'E-mail': 'm.visser@acme.example', Functie: 'Kok' },
		{ Personeelsnummer: '10005', 'E-mail': 's.smit@acme.example', Functie: 'Arts' },
	];
	const workflow = exportWorkflow('PlekE2eColumns02', renamed, MAPPER_PARAMETERS);
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expect(result.ok).toBe(false);
	expect(result.run?.status ?? 'error').toBe('error');
	const error = result.run?.data.resultData.runData[MAPPER]?.[0]?.error;
	expect(error?.message).toBe('All 5 records are invalid: the input has no column `Medewerker`, `E-mail werk`');
	expect(error?.description).toContain('The rules read the columns `Medewerker`, `E-mail werk`, `Functie`; the input items have `Personeelsnummer`, `E-mail`, `Functie`.');
	expect(error?.description).toContain('Did you mean `E-mail`?');
});
