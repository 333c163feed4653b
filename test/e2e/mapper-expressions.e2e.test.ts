/**
 * The Plek Mapper in real n8n with a field in Expression mode, exactly as dragging an input field writes it
 * (`={{ $json.functie }}`), next to Fixed-mode (JSONata) fields: n8n resolves the expression per item and the Mapper
 * uses that value as is. A Fixed-mode value that is plain text (what a resolved n8n expression looks like) fails
 * with a hint about the two modes instead of a bare JSONata syntax error.
 */
import { expectOk } from './lib/assert';
import { E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import type { WorkflowJson } from '../../scripts/lib/n8n';
import { ENTERPRISE } from '../support/scim';

const MAPPER = 'Plek Mapper';
const PEOPLE = [
	{ id: 'e1', mail: 'a.devries@acme.example', functie: 'Care Team Lead', afdeling: 'Care' },
	{ id: 'e2', mail: 'b.jansen@acme.example', functie: 'Cook', afdeling: 'Catering' },
];

let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ ldap: false, hrApi: false });
});
afterAll(async () => {
	await env?.close();
});

/** Manual Trigger -> Set (the people as JSON) -> Split Out (one item per person) -> Plek Mapper. */
function mapperWorkflow(id: string, mapperParameters: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name: `Mapper expressions ${id}`,
		nodes: [
			{ id: 'm1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'm2',
				name: 'People',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people: PEOPLE }), options: {} },
			},
			{
				id: 'm3',
				name: 'One per person',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'people', options: {} },
			},
			{ id: 'm4', name: MAPPER, type: 'n8n-nodes-plek.plekMapper', typeVersion: 1, position: [660, 0], parameters: mapperParameters },
		],
		connections: {
			Start: { main: [[{ node: 'People', type: 'main', index: 0 }]] },
			People: { main: [[{ node: 'One per person', type: 'main', index: 0 }]] },
			'One per person': { main: [[{ node: MAPPER, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const DEPARTMENT = `${ENTERPRISE}:department`;

test('a dragged-in field (Expression mode) and JSONata fields both give the right value per person', async () => {
	const workflow = mapperWorkflow('PlekE2eMapExpr01', {
		mode: 'fields',
		mappingKey: 'id',
		userName: '={{ $json.mail }}',
		active: 'true',
		profileFields: {
			field: [
				// What dragging "functie" from the input panel writes: a value with spaces, which JSONata could not parse.
				{ path: 'title', expression: '={{ $json.functie }}', apply: 'always' },
				{ path: DEPARTMENT, expression: '$uppercase(afdeling)', apply: 'always' },
			],
		},
		groupRules: {
			rule: [
				{ group: 'Care', condition: "={{ $json.afdeling === 'Care' }}" },
				{ group: 'All staff', condition: 'true' },
			],
		},
		options: {},
	});
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expectOk(result);
	const [users, invalid] = result.output(MAPPER);
	expect(invalid).toEqual([]);
	// Group names come out sorted.
	expect(users.map((u) => [u.key, u.userName, u.profile.title, u.profile[DEPARTMENT], u.groups])).toEqual([
		['e1', 'a.devries@acme.example', 'Care Team Lead', 'CARE', ['All staff', 'Care']],
		['e2', 'b.jansen@acme.example', 'Cook', 'CATERING', ['All staff']],
	]);
	expect(JSON.stringify(users)).not.toContain('__plekN8n');
});

test('plain text in Fixed mode (what a resolved n8n expression looks like) fails saying to switch to Expression mode', async () => {
	const workflow = mapperWorkflow('PlekE2eMapExpr02', {
		mode: 'fields',
		mappingKey: 'id',
		userName: 'mail',
		active: 'true',
		profileFields: { field: [{ path: 'title', expression: 'Care Team Lead', apply: 'always' }] },
		options: {},
	});
	await env.n8n.importWorkflow(workflow);
	const result = await env.n8n.execute(workflow.id!);
	expect(result.ok).toBe(false);
	const error = result.run?.data.resultData.runData[MAPPER]?.[0]?.error;
	expect(`${error?.message}\n${error?.description}`).toMatch(/switch the parameter to Expression mode/);
});
