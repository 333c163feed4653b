// A small, generic harness that runs an n8n node class outside n8n: `execute` with a fake IExecuteFunctions and
// `methods.loadOptions.*` with a fake ILoadOptionsFunctions, both typed with the real n8n-workflow interfaces.
// What n8n itself would do is done with n8n's own code where it is exported: parameter defaults come from
// n8n-workflow's getNodeParameters (as the editor stores them), returnJsonArray / constructExecutionMetaData /
// normalizeItems are n8n-core's. HTTP goes to a function the test supplies (nock, the sandbox, a stub), so
// the Sync and Plek node tests can point httpRequestWithAuthentication at the sandbox.
//
//   const run = await runNode(new PlekMapper(), { parameters: {...}, input: [{ id: 1 }] });
//   run.outputs[0]  // items of the first output;  run.json(1)  // the json of output 2
//
// Not implemented members of the context throw "nodeHarness: ... is not implemented" so a missing piece is
// obvious instead of an undefined-is-not-a-function deep in a node.
import { constructExecutionMetaData, normalizeItems, returnJsonArray } from 'n8n-core';
import { deepCopy, getNodeParameters, NodeOperationError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IPairedItemData,
	Logger,
	NodeExecutionHint,
} from 'n8n-workflow';

/** `extra` is httpRequestWithAuthentication's additionalCredentialOptions (what n8n-core receives). */
export type HttpHandler = (request: IHttpRequestOptions, credentialType?: string, extra?: unknown) => Promise<unknown>;

export interface HarnessOptions {
	/** Node parameters as a workflow JSON stores them; defaults from the node description are filled in. */
	parameters?: INodeParameters;
	/** Input items of input 0: INodeExecutionData, or plain objects (wrapped as `{json}`). */
	input?: Array<INodeExecutionData | IDataObject>;
	continueOnFail?: boolean;
	/** Credentials by type, e.g. `{ plekApi: { environmentUrl: 'http://127.0.0.1:3000', ... } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Serves `helpers.httpRequestWithAuthentication(type, request)`. Missing: calling it throws. */
	httpRequestWithAuthentication?: HttpHandler;
	/** Serves `helpers.httpRequest(request)`. Missing: calling it throws. */
	httpRequest?: HttpHandler;
	/** Overrides for the INode (name, typeVersion, ...). */
	node?: Partial<INode>;
	/** Workflow/instance time zone returned by getTimezone(). Default Europe/Amsterdam. */
	timezone?: string;
	/** Returned by getExecutionCancelSignal(); abort it to simulate a cancelled execution. */
	signal?: AbortSignal;
	/**
	 * Evaluates n8n expressions (`={{ ... }}`) in parameters. Without it, `=literal` resolves to `literal` (as
	 * in n8n) and a `{{ }}` expression throws, since the harness has no expression engine.
	 */
	evaluateExpression?: (expression: string, itemIndex: number) => unknown;
	/** What getWorkflowStaticData returns (pass the same object to two runs to see what n8n would persist). */
	staticData?: IDataObject;
}

export interface LogEntry {
	level: keyof Logger;
	message: string;
	metadata?: unknown;
}

export interface HttpCall {
	credentialType?: string;
	request: IHttpRequestOptions;
}

export interface HarnessRecorder {
	logs: LogEntry[];
	http: HttpCall[];
	/** What the node passed to addExecutionHints (the hints n8n shows above the output). */
	hints?: NodeExecutionHint[];
}

export interface NodeRun extends HarnessRecorder {
	outputs: INodeExecutionData[][];
	/** The json of each item of output `index`. */
	json(index?: number): IDataObject[];
}

const PROBED_PROPERTIES = new Set(['then', 'toJSON', 'asymmetricMatch', 'nodeType', 'constructor', 'inspect']);

/** Wraps an implementation so that unknown members throw a clear error. */
function strict<T extends object>(what: string, implementation: Record<string, unknown>): T {
	return new Proxy(implementation, {
		get(target, property, receiver) {
			if (typeof property === 'symbol' || property in target) return Reflect.get(target, property, receiver);
			if (PROBED_PROPERTIES.has(property) || property.startsWith('$$') || property.startsWith('@@')) return undefined;
			throw new Error(`nodeHarness: ${what}.${property} is not implemented`);
		},
	}) as unknown as T;
}

export function createNode(nodeType: INodeType, options: HarnessOptions = {}): INode {
	const description = nodeType.description;
	const typeVersion = options.node?.typeVersion ?? (Array.isArray(description.version) ? Math.max(...description.version) : description.version);
	const node: INode = {
		id: 'harness-node-id',
		name: description.defaults?.name ?? description.displayName,
		type: `n8n-nodes-plek.${description.name}`,
		typeVersion,
		position: [0, 0],
		parameters: {},
		...options.node,
	};
	node.parameters =
		getNodeParameters(description.properties, options.parameters ?? {}, true, false, node, description) ?? {};
	if (options.credentials && !options.node?.credentials) {
		node.credentials = Object.fromEntries(
			Object.keys(options.credentials).map((type) => [type, { id: `${type}-id`, name: `${type} credential` }]),
		);
	}
	return node;
}

function readPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) {
			return undefined;
		}
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function resolveExpressions(value: unknown, itemIndex: number, options: HarnessOptions): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		if (!value.includes('{{')) return value.slice(1);
		if (!options.evaluateExpression) {
			throw new Error(`nodeHarness: cannot evaluate the n8n expression ${JSON.stringify(value)}; pass evaluateExpression`);
		}
		return options.evaluateExpression(value, itemIndex);
	}
	if (Array.isArray(value)) return value.map((v) => resolveExpressions(v, itemIndex, options));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveExpressions(v, itemIndex, options)]));
	}
	return value;
}

/** n8n's getNodeParameter semantics: dotted paths, fallback, rawExpressions, extractValue for resource locators. */
function nodeParameter(
	node: INode,
	options: HarnessOptions,
	name: string,
	itemIndex: number,
	fallbackValue: unknown,
	parameterOptions: IGetNodeParameterOptions = {},
): unknown {
	let value = readPath(node.parameters, name);
	if (value === undefined) {
		if (fallbackValue !== undefined) return fallbackValue;
		throw new NodeOperationError(node, `Could not get parameter "${name}"`);
	}
	value = deepCopy(value);
	if (!parameterOptions.rawExpressions) value = resolveExpressions(value, itemIndex, options);
	if (parameterOptions.extractValue && value && typeof value === 'object' && '__rl' in value) {
		value = (value as { value?: unknown }).value;
	}
	return value;
}

function createLogger(recorder: HarnessRecorder): Logger {
	const log = (level: keyof Logger) => (message: string, metadata?: unknown) => {
		recorder.logs.push({ level, message, metadata });
	};
	return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

function commonMembers(node: INode, options: HarnessOptions, recorder: HarnessRecorder) {
	const send = (
		handler: HttpHandler | undefined,
		name: string,
		credentialType: string | undefined,
		request: IHttpRequestOptions,
		extra?: unknown,
	) => {
		recorder.http.push({ credentialType, request });
		if (!handler) throw new Error(`nodeHarness: ${name} was called but the test gave no handler for it`);
		return handler(request, credentialType, extra);
	};
	return {
		logger: createLogger(recorder),
		getNode: () => deepCopy(node),
		getTimezone: () => options.timezone ?? 'Europe/Amsterdam',
		getMode: () => 'manual',
		getExecutionId: () => 'harness-execution',
		getWorkflow: () => ({ id: 'harness-workflow', name: 'Harness workflow', active: false }),
		getInstanceBaseUrl: () => 'http://localhost:5678/',
		getRestApiUrl: () => 'http://localhost:5678/rest',
		getCredentials: async <T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T> => {
			const credentials = options.credentials?.[type];
			if (!credentials) throw new NodeOperationError(node, `Node "${node.name}" does not have any credentials set for "${type}"`);
			return deepCopy(credentials) as unknown as T;
		},
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, request: IHttpRequestOptions, extra?: unknown) =>
				await send(options.httpRequestWithAuthentication, 'helpers.httpRequestWithAuthentication', credentialType, request, extra),
			httpRequest: async (request: IHttpRequestOptions) => await send(options.httpRequest, 'helpers.httpRequest', undefined, request),
			returnJsonArray,
			constructExecutionMetaData,
			normalizeItems,
		},
	};
}

function inputItems(options: HarnessOptions): INodeExecutionData[] {
	return (options.input ?? []).map((item, index) => {
		const data = item as INodeExecutionData;
		const isItem = data && typeof data === 'object' && 'json' in data && typeof data.json === 'object';
		return isItem ? { pairedItem: { item: index }, ...data } : { json: item as IDataObject, pairedItem: { item: index } };
	});
}

/** A fake IExecuteFunctions. `recorder` collects log lines and HTTP calls. */
export function createExecuteFunctions(
	nodeType: INodeType,
	options: HarnessOptions = {},
	recorder: HarnessRecorder = { logs: [], http: [] },
): IExecuteFunctions {
	const node = createNode(nodeType, options);
	const items = inputItems(options);
	const common = commonMembers(node, options, recorder);
	return strict<IExecuteFunctions>('IExecuteFunctions', {
		...common,
		helpers: strict('IExecuteFunctions.helpers', common.helpers),
		getInputData: (inputIndex = 0) => (inputIndex === 0 ? items : []),
		getNodeParameter: (name: string, itemIndex: number, fallbackValue?: unknown, parameterOptions?: IGetNodeParameterOptions) =>
			nodeParameter(node, options, name, itemIndex, fallbackValue, parameterOptions),
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => options.signal,
		onExecutionCancellation: () => undefined,
		isToolExecution: () => false,
		sendMessageToUI: () => undefined,
		getWorkflowStaticData: () => options.staticData ?? {},
		addExecutionHints: (...hints: NodeExecutionHint[]) => {
			(recorder.hints ??= []).push(...hints);
		},
		evaluateExpression: (expression: string, itemIndex: number) => resolveExpressions(expression, itemIndex, options),
	});
}

/** Runs `execute` of a node class and returns its outputs plus what it logged and requested. */
export async function runNode(nodeType: INodeType, options: HarnessOptions = {}): Promise<NodeRun> {
	if (!nodeType.execute) throw new Error('nodeHarness: this node type has no execute method');
	const recorder: HarnessRecorder = { logs: [], http: [], hints: [] };
	const context = createExecuteFunctions(nodeType, options, recorder);
	const outputs = ((await nodeType.execute.call(context)) ?? []) as INodeExecutionData[][];
	return { ...recorder, outputs, json: (index = 0) => (outputs[index] ?? []).map((item) => item.json) };
}

/** A fake ILoadOptionsFunctions; parameters are the node's current (editor) parameters. */
export function createLoadOptionsFunctions(
	nodeType: INodeType,
	options: HarnessOptions = {},
	recorder: HarnessRecorder = { logs: [], http: [] },
): ILoadOptionsFunctions {
	const node = createNode(nodeType, options);
	const common = commonMembers(node, options, recorder);
	return strict<ILoadOptionsFunctions>('ILoadOptionsFunctions', {
		...common,
		helpers: strict('ILoadOptionsFunctions.helpers', common.helpers),
		getNodeParameter: (name: string, fallbackValue?: unknown, parameterOptions?: IGetNodeParameterOptions) =>
			nodeParameter(node, options, name, 0, fallbackValue, parameterOptions),
		getCurrentNodeParameter: (name: string, parameterOptions?: IGetNodeParameterOptions) =>
			nodeParameter(node, options, name, 0, null, parameterOptions) ?? undefined,
		getCurrentNodeParameters: () => deepCopy(node.parameters),
	});
}

/** Runs `methods.loadOptions[method]` of a node class. */
export async function runLoadOptions(
	nodeType: INodeType,
	method: string,
	options: HarnessOptions = {},
): Promise<INodePropertyOptions[] & { http: HttpCall[]; logs: LogEntry[] }> {
	const loader = nodeType.methods?.loadOptions?.[method];
	if (!loader) throw new Error(`nodeHarness: the node has no loadOptions method ${method}`);
	const recorder: HarnessRecorder = { logs: [], http: [] };
	const result = await loader.call(createLoadOptionsFunctions(nodeType, options, recorder));
	return Object.assign(result, recorder);
}

/** Every output item must point at existing input items (n8n's item linking). Returns the problems found. */
export function pairedItemProblems(run: Pick<NodeRun, 'outputs'>, inputCount: number): string[] {
	const problems: string[] = [];
	run.outputs.forEach((output, outputIndex) =>
		output.forEach((item, itemIndex) => {
			const where = `output ${outputIndex} item ${itemIndex}`;
			const paired = item.pairedItem;
			if (paired === undefined) return problems.push(`${where} has no pairedItem`);
			const list: Array<IPairedItemData | number> = Array.isArray(paired) ? paired : [paired];
			for (const entry of list) {
				const index = typeof entry === 'number' ? entry : entry.item;
				if (!Number.isInteger(index) || index < 0 || index >= inputCount) problems.push(`${where} points at input ${index}`);
			}
			return undefined;
		}),
	);
	return problems;
}
