// The example workflow for the e2e suite (plek-actions.workflow.json) must stay in step with the node: node type,
// credential reference, and only parameters the node has, each visible for the chosen resource and operation.
import { readFileSync } from 'fs';
import { join } from 'path';
import { getNodeParameters } from 'n8n-workflow';
import type { INode, INodeParameters } from 'n8n-workflow';

import { Plek } from '../../nodes/Plek/Plek.node';

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: INodeParameters;
	credentials?: Record<string, { id: string; name: string }>;
}

const workflow = JSON.parse(readFileSync(join(__dirname, 'plek-actions.workflow.json'), 'utf8')) as {
	id: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};
const description = new Plek().description;

it('is Manual Trigger -> create -> get by externalId -> add to group -> deactivate', () => {
	expect(workflow.id).toBeTruthy();
	const chain: string[] = [];
	let current: string | undefined = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name;
	while (current) {
		chain.push(current);
		current = workflow.connections[current]?.main[0]?.[0]?.node;
	}
	const steps = chain.slice(1).map((name) => {
		const node = workflow.nodes.find((n) => n.name === name) as WorkflowNode;
		return `${node.type} ${node.parameters.resource}.${node.parameters.operation}`;
	});
	expect(steps).toEqual([
		'n8n-nodes-plek.plek user.create',
		'n8n-nodes-plek.plek user.get',
		'n8n-nodes-plek.plek group.addMembers',
		'n8n-nodes-plek.plek user.deactivate',
	]);
	expect((workflow.nodes.find((n) => n.parameters.operation === 'get')?.parameters.user as { mode?: string } | undefined)?.mode).toBe('externalId');
});

it.each(workflow.nodes.filter((n) => n.type === 'n8n-nodes-plek.plek').map((n) => [n.name, n]))(
	'%s uses the plekApi credential and only parameters of its operation',
	(_, node) => {
		expect(node.credentials).toEqual({ plekApi: { id: 'plek-sandbox', name: 'Plek sandbox' } });
		expect(node.typeVersion).toBe(description.version);
		const resolved = getNodeParameters(description.properties, node.parameters, true, false, node as unknown as INode, description);
		expect(Object.keys(node.parameters).filter((name) => !(name in (resolved ?? {})))).toEqual([]);
	},
);
