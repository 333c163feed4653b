// The node harness itself (test/support/nodeHarness.ts), on a tiny node built for the purpose.
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { createExecuteFunctions, pairedItemProblems, runLoadOptions, runNode } from '../support/nodeHarness';

class EchoNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: [1, 2],
		description: 'Echoes parameters',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [{ displayName: 'Limit', name: 'limit', type: 'number', default: 5 }],
			},
		],
	};

	methods = {
		loadOptions: {
			async things(this: ILoadOptionsFunctions) {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'demoApi', { url: 'https://x/things' })) as string[];
				return response.map((name) => ({ name, value: `${name}:${this.getCurrentNodeParameter('text') as string}` }));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out = items.map((item, index) => ({
			json: {
				...item.json,
				text: this.getNodeParameter('text', index) as string,
				limit: this.getNodeParameter('options.limit', index, 99) as number,
				tz: this.getTimezone(),
				node: this.getNode().name,
			},
			pairedItem: { item: index },
		}));
		return [this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(out.map((o) => o.json)), { itemData: { item: 0 } })];
	}
}

describe('nodeHarness', () => {
	it('fills parameter defaults as the editor does, reads dotted paths and falls back', async () => {
		const run = await runNode(new EchoNode(), { input: [{ a: 1 }] });
		expect(run.json(0)).toEqual([{ a: 1, text: 'hello', limit: 99, tz: 'Europe/Amsterdam', node: 'Echo' }]);
		const withOption = await runNode(new EchoNode(), { input: [{ a: 1 }], parameters: { text: '=literal', options: { limit: 3 } }, timezone: 'UTC' });
		expect(withOption.json(0)[0]).toMatchObject({ text: 'literal', limit: 3, tz: 'UTC' });
	});

	it("uses n8n-core's constructExecutionMetaData, so pairedItem is set", async () => {
		const run = await runNode(new EchoNode(), { input: [{ a: 1 }, { a: 2 }] });
		expect(run.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(pairedItemProblems(run, 2)).toEqual([]);
		expect(pairedItemProblems({ outputs: [[{ json: {} }]] }, 1)).toEqual(['output 0 item 0 has no pairedItem']);
		expect(pairedItemProblems({ outputs: [[{ json: {}, pairedItem: { item: 4 } }]] }, 1)).toEqual(['output 0 item 0 points at input 4']);
	});

	it('throws like n8n for a missing parameter without fallback, and for unimplemented members', () => {
		const context = createExecuteFunctions(new EchoNode(), {});
		expect(() => context.getNodeParameter('nope', 0)).toThrow(/Could not get parameter "nope"/);
		expect(context.getNodeParameter('nope', 0, 'fallback')).toBe('fallback');
		expect(() => (context as unknown as { getWorkflowDataProxy: () => void }).getWorkflowDataProxy()).toThrow(/not implemented/);
		expect(() => context.getNodeParameter('text', 0, undefined, {})).not.toThrow();
	});

	it('refuses {{ }} expressions it cannot evaluate unless given an evaluator', async () => {
		await expect(runNode(new EchoNode(), { input: [{}], parameters: { text: '={{ $json.a }}' } })).rejects.toThrow(/cannot evaluate/);
		const run = await runNode(new EchoNode(), {
			input: [{ a: 'x' }],
			parameters: { text: '={{ $json.a }}' },
			evaluateExpression: (expression, itemIndex) => `${expression}@${itemIndex}`,
		});
		expect(run.json(0)[0].text).toBe('={{ $json.a }}@0');
	});

	it('serves credentials and delegates authenticated HTTP to the test, recording the calls', async () => {
		const context = createExecuteFunctions(new EchoNode(), { credentials: { demoApi: { token: 't' } } });
		await expect(context.getCredentials('demoApi')).resolves.toEqual({ token: 't' });
		await expect(context.getCredentials('otherApi')).rejects.toThrow(/does not have any credentials set for "otherApi"/);
		expect(context.getNode().credentials).toEqual({ demoApi: { id: 'demoApi-id', name: 'demoApi credential' } });
		const options = await runLoadOptions(new EchoNode(), 'things', {
			parameters: { text: 'cur' },
			httpRequestWithAuthentication: async (request, credentialType) => [`${credentialType}`, String(request.url)],
		});
		expect(options.map((o) => o.value)).toEqual(['demoApi:cur', 'https://x/things:cur']);
		expect(options.http).toEqual([{ credentialType: 'demoApi', request: { url: 'https://x/things' } }]);
		await expect(runLoadOptions(new EchoNode(), 'things')).rejects.toThrow(/gave no handler/);
	});
});
