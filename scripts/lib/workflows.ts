/**
 * Turning a template (as a customer imports it) into a workflow n8n can execute headless in a test:
 * the Schedule Trigger becomes a Manual Trigger (`n8n execute` starts from one), the workflow gets an id,
 * credentials point at the ones the test imported, and node parameters point at the test servers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_DIR, WorkflowJson } from './n8n';

export type WorkflowNode = WorkflowJson['nodes'][number];

export function loadTemplate(name: string): WorkflowJson {
	const file = name.endsWith('.json') ? name : join(REPO_DIR, 'templates', `${name}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
}

export interface HeadlessOptions {
	id: string;
	name?: string;
	/** credential type -> the imported credential to use ({id, name}) */
	credentials?: Record<string, { id: string; name: string }>;
	/** Keep the template's error workflow setting (the test imports that workflow with the same id). */
	keepErrorWorkflow?: boolean;
	/**
	 * The Plek Sync node's mode. The templates ship in Dry Run (a safe first click); the tests and the demo exercise
	 * the sync, so the default is 'apply'. 'asShipped' keeps the template's mode.
	 */
	syncMode?: 'apply' | 'dryRun' | 'asShipped';
	/**
	 * Keep the templates' History branch (Plek Sync's History output into a Data Table). Default false: `n8n execute`
	 * does not load n8n's modules, so a Data Table node fails there ("module is disabled"); History Output is then
	 * switched off and the branch gets no items. test/e2e/history.e2e.test.ts runs Data Tables in `n8n start`.
	 */
	history?: boolean;
	/** Changes per node, by node name or node type. Return nothing to change the node in place. */
	patch?: Record<string, (node: WorkflowNode) => void>;
}

const SCHEDULE_TRIGGER = 'n8n-nodes-base.scheduleTrigger';
export const PLEK_SYNC = 'n8n-nodes-plek.plekSync';

export function toHeadless(template: WorkflowJson, options: HeadlessOptions): WorkflowJson {
	const workflow = structuredClone(template);
	workflow.id = options.id;
	if (options.name) workflow.name = options.name;
	workflow.active = false;
	// The template's error workflow setting refers to a workflow id of the customer's n8n.
	if (workflow.settings && !options.keepErrorWorkflow) delete workflow.settings.errorWorkflow;

	const triggers = workflow.nodes.filter((node) => node.type === SCHEDULE_TRIGGER);
	for (const trigger of triggers) {
		trigger.type = 'n8n-nodes-base.manualTrigger';
		trigger.typeVersion = 1;
		trigger.parameters = {};
	}
	const syncMode = options.syncMode ?? 'apply';
	for (const node of workflow.nodes) {
		if (node.type === PLEK_SYNC && syncMode !== 'asShipped') node.parameters.mode = syncMode;
		if (node.type === PLEK_SYNC && options.history !== true) node.parameters.historyOutput = false;
		if (node.credentials && options.credentials) {
			for (const type of Object.keys(node.credentials)) {
				if (options.credentials[type]) node.credentials[type] = { ...options.credentials[type] };
			}
		}
		for (const key of [node.name, node.type]) options.patch?.[key]?.(node);
	}
	return workflow;
}

export function findNode(workflow: WorkflowJson, nameOrType: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === nameOrType) ?? workflow.nodes.find((n) => n.type === nameOrType);
	if (!node) throw new Error(`no node "${nameOrType}" in workflow "${workflow.name}"`);
	return node;
}

/** A Manual Trigger -> Set (with expressions) workflow: proves n8n runs and evaluates expressions on Node 24. */
export function smokeWorkflow(id: string): WorkflowJson {
	return {
		id,
		name: 'Runtime smoke test',
		nodes: [
			{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'b1', name: 'sum', value: '={{ 20 + 22 }}', type: 'number' },
							{ id: 'b2', name: 'greeting', value: "={{ 'hello ' + ($json.who ?? 'plek') }}", type: 'string' },
							{ id: 'b3', name: 'upper', value: "={{ 'plek'.toUpperCase() }}", type: 'string' },
						],
					},
					options: {},
				},
			},
		],
		connections: { Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
