// A Mapper parameter in Expression mode (what dragging an input field writes: "={{ $json.functie }}") is an n8n
// expression resolved per item, used as the value; Fixed mode stays JSONata.
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { runNode } from '../support/nodeHarness';
import { ENTERPRISE } from './fixtures';

const input = [
	{ id: 'e1', mail: 'a@acme.example', functie: 'Care Team', afdeling: 'Care' },
	{ id: 'e2', mail: 'b@acme.example', functie: 'Kitchen', afdeling: 'Catering' },
];

// The harness has no n8n expression engine: this stands in for `{{ $json.<field> }}` per item.
const evaluateExpression = (expression: string, itemIndex: number) => {
	const field = /\{\{\s*\$json\.(\w+)\s*\}\}/.exec(expression)?.[1];
	if (!field) throw new Error(`test evaluator: unsupported expression ${expression}`);
	return (input[itemIndex] as Record<string, unknown>)[field];
};

const baseParameters = { mode: 'fields', mappingKey: 'id', userName: 'mail', active: 'true' };

it('uses the per-item result of an Expression-mode profile field as the value, next to a Fixed (JSONata) field', async () => {
	const run = await runNode(new PlekMapper(), {
		parameters: {
			...baseParameters,
			profileFields: {
				field: [
					{ path: 'title', expression: '={{ $json.functie }}', apply: 'always' },
					{ path: `${ENTERPRISE}:department`, expression: '$uppercase(afdeling)', apply: 'always' },
				],
			},
		},
		input,
		evaluateExpression,
	});
	expect(run.json(1)).toEqual([]);
	const profiles = run.json(0).map((record) => record.profile);
	expect(profiles).toEqual([
		expect.objectContaining({ title: 'Care Team', [`${ENTERPRISE}:department`]: 'CARE' }),
		expect.objectContaining({ title: 'Kitchen', [`${ENTERPRISE}:department`]: 'CATERING' }),
	]);
	// The helper field carrying the resolved values never reaches the output.
	expect(JSON.stringify(run.json(0))).not.toContain('__plekN8n');
});

it('takes the mapping key, user name and a group condition from Expression mode too', async () => {
	const run = await runNode(new PlekMapper(), {
		parameters: {
			...baseParameters,
			mappingKey: '={{ $json.id }}',
			userName: '={{ $json.mail }}',
			groupRules: { rule: [{ group: 'Care', condition: '={{ $json.afdeling }}' }] },
		},
		input,
		evaluateExpression: (expression, itemIndex) =>
			expression.includes('afdeling') ? input[itemIndex].afdeling === 'Care' : evaluateExpression(expression, itemIndex),
	});
	expect(run.json(0).map((record) => [record.key, record.userName, record.groups])).toEqual([
		['e1', 'a@acme.example', ['Care']],
		['e2', 'b@acme.example', []],
	]);
});

it('a JSONata syntax error on a value that looks like a resolved n8n expression says to switch to Expression mode', async () => {
	const run = runNode(new PlekMapper(), {
		parameters: { ...baseParameters, profileFields: { field: [{ path: 'title', expression: 'Care Team', apply: 'always' }] } },
		input,
	});
	await expect(run).rejects.toMatchObject({
		description: expect.stringMatching(/text needs quotes.*switch the parameter to Expression mode/),
	});
});

it('n8n braces typed in Fixed mode get their own hint', async () => {
	const run = runNode(new PlekMapper(), {
		parameters: { ...baseParameters, profileFields: { field: [{ path: 'title', expression: '{{ $json.functie }}', apply: 'always' }] } },
		input,
	});
	await expect(run).rejects.toMatchObject({ description: expect.stringMatching(/n8n expression in Fixed mode/) });
});
