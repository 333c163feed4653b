// The least of IExecuteFunctions the Plek Mapper's execute uses, for timing it outside n8n: parameters with the
// node description's defaults filled in by n8n-workflow's getNodeParameters (as the editor stores them), read by
// dotted path; input items as given. Any other member throws, so a node needing more fails loudly.
import { deepCopy, getNodeParameters } from 'n8n-workflow';
import type { IExecuteFunctions, INode, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

function readPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

export function executeContext(nodeType: INodeType, parameters: INodeParameters, input: INodeExecutionData[]): IExecuteFunctions {
	const description = nodeType.description;
	const node: INode = {
		id: 'bench-node',
		name: description.defaults?.name ?? description.displayName,
		type: `n8n-nodes-plek.${description.name}`,
		typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
		position: [0, 0],
		parameters: {},
	};
	node.parameters = getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	const members: Record<string, unknown> = {
		getInputData: () => input,
		getNode: () => node,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => {
			const value = readPath(node.parameters, name);
			return value === undefined ? fallback : deepCopy(value);
		},
		getTimezone: () => 'Europe/Amsterdam',
		continueOnFail: () => false,
		getExecutionCancelSignal: () => undefined,
		addExecutionHints: () => undefined,
	};
	return new Proxy(members, {
		get(target, property) {
			if (typeof property === 'symbol' || property in target) return target[property as string];
			throw new Error(`bench/nodeContext: ${property} is not implemented`);
		},
	}) as unknown as IExecuteFunctions;
}
