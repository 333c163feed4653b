import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	applyRunValidation,
	columnNotices,
	columnsOf,
	compileMapping,
	diagnoseColumns,
	explainFailures,
	invalidShare,
	needsBackticks,
	removeLeadingBom,
	mapRecord,
	MappingCompileError,
	type AttributeInfo,
	type CompiledMapping,
	type MapFailure,
	type MapResult,
} from '../../core/mapping';
import { RECORD_FIELD_ROWS } from '../../core/mapping/fields';
import { createPlekClient, describeUserAttributes, PLEK_CREDENTIAL_TYPE } from '../../transport';
import { COMMON_PROFILE_FIELDS, profileFieldOptions } from './profileFields';
import { isEmptySource } from '../../core/sync/planner/source';
import { proposalOutput } from './proposal';
import { expressionSlots, withExpressionSlots, withExpressionValues, type ExpressionSlot } from './expressionMode';
import { mapperProperties } from './description';
import { MAPPER_PARAMETERS, parameterOf, readMapperParams, type MapperParams } from './params';
import { ParameterProblem } from '../shared/parameters';

/**
 * What to do about a JSONata syntax error that looks like something else: n8n's {{ }} typed in Fixed mode, or a
 * plain value such as `Care` (often what an n8n expression resolved to).
 */
function jsonataHint(expression: string): string {
	const fixedModeExpression = expression.includes('{{');
	const text = fixedModeExpression
		? "This looks like an n8n expression in Fixed mode: Fixed mode is JSONata (write just the field name, e.g. `department`), or switch the parameter to Expression mode, then n8n's {{ }} value is used as is."
		: "Fixed mode is JSONata: a field is read by its name (`department`), text needs quotes (\"Care\"). For an n8n expression such as {{ $json.department }}, switch the parameter to Expression mode.";
	return text;
}

/** A column whose name has spaces or signs, written in an expression without backticks: say how to write it. */
function backtickHint(expression: string, items: IDataObject[]): string {
	const unquoted = columnsOf(items).filter((column) => needsBackticks(column) && expression.includes(column) && !expression.includes(`\`${column}\``));
	if (unquoted.length === 0) return '';
	return `A column whose name has spaces or other signs is read in backticks: ${unquoted.map((column) => `\`${column}\``).join(', ')}. `;
}

/** The parameter a compile error belongs to, as the editor labels it. */
function parameterLabel(expressionName: string): string {
	const row = RECORD_FIELD_ROWS.find((r) => r.name === expressionName);
	if (row) return MAPPER_PARAMETERS.label(parameterOf(row));
	if (expressionName === 'document') return MAPPER_PARAMETERS.label('document');
	if (expressionName === 'time zone') return MAPPER_PARAMETERS.label('options.timeZone');
	if (expressionName.startsWith('profile field ')) return `Profile Fields › ${expressionName.slice(14)}`;
	if (expressionName.startsWith('group rule (name from ')) return `Group Rules › Group Name Expression ${expressionName.slice(22, -1)}`;
	if (expressionName.startsWith('group rule ')) return `Group Rules › ${expressionName.slice(11)}`;
	return expressionName;
}

function hasCredential(ctx: IExecuteFunctions | ILoadOptionsFunctions): boolean {
	return Boolean(ctx.getNode().credentials?.[PLEK_CREDENTIAL_TYPE]);
}

export class PlekMapper implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plek Mapper',
		name: 'plekMapper',
		icon: { light: 'file:plek.svg', dark: 'file:plek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "document" ? "Document mapping" : $parameter["mode"] === "propose" ? "Propose mapping" : "Field mapping"}}',
		description:
			'Turn any HR or Active Directory record into a Plek user record with JSONata rules; records that cannot be mapped go to a second output',
		defaults: {
			name: 'Plek Mapper',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Users', 'Invalid'],
		credentials: [
			{
				name: PLEK_CREDENTIAL_TYPE,
				required: false,
			},
		],
		properties: mapperProperties,
	};

	methods = {
		loadOptions: {
			async getProfileFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				if (!hasCredential(this)) return COMMON_PROFILE_FIELDS;
				const client = await createPlekClient(this);
				return profileFieldOptions(describeUserAttributes(await client.getSchemas()));
			},

			async getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				if (!hasCredential(this)) return [];
				const client = await createPlekClient(this);
				const names = new Set((await client.listGroups()).map((group) => group.displayName).filter(Boolean));
				return [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const input = this.getInputData();
		// An empty source's placeholder (Always Output Data on the source): passed on, so the Sync fails loudly.
		if (input.length > 0 && isEmptySource(input.map((item) => item.json))) return [input.map((_, item) => ({ json: {}, pairedItem: { item } })), []];
		const params = readParams(this);
		if (params.mode === 'propose') {
			const proposal = proposalOutput(input.map((item) => item.json), this.getNode().name);
			this.addExecutionHints(proposal.hint);
			return [[{ json: proposal.json, pairedItem: input.map((_, item) => ({ item })) }], []];
		}
		// A UTF-8 CSV read with its byte-order mark leaves U+FEFF before the first column name: removed, said once.
		const bom = removeLeadingBom(input.map((item) => item.json));
		const items = bom.count === 0 ? input : input.map((item, index) => ({ ...item, json: bom.items[index] as IDataObject }));
		const hints: NodeExecutionHint[] = bom.count === 0 ? [] : [bomHint(bom.column!, bom.count)];
		const slots = expressionSlots(this.getNode().parameters as IDataObject, params.mode);
		const compiled = await compileForRun(this, params, slots, items);
		if (!compiled.mapping) return [[], compiled.failed];
		const { results, unexpected } = await mapItems(this, compiled.mapping, slots, items);
		const [users, invalid] = routeResults(this, compiled.mapping, items, results, unexpected, params.maxInvalidPercent, hints);
		this.addExecutionHints(...hints);
		return [users, invalid];
	}
}

/** The node's parameters (params.ts); a refused one fails the run naming it. */
function readParams(ctx: IExecuteFunctions): MapperParams {
	try {
		return readMapperParams((name) => ctx.getNodeParameter(name, 0, MAPPER_PARAMETERS.defaultOf(name)), ctx.getTimezone());
	} catch (error) {
		const problem = error instanceof ParameterProblem ? error : undefined;
		throw new NodeOperationError(ctx.getNode(), problem?.message ?? (error as Error).message, { description: problem?.whatToDo });
	}
}

/** Plek's user attributes when the Check Fields Against Plek Schema option is on (undefined: no schema check). */
async function schemaForCheck(ctx: IExecuteFunctions, params: MapperParams): Promise<AttributeInfo[] | undefined> {
	if (!params.checkSchema) return undefined;
	if (!hasCredential(ctx)) {
		throw new NodeOperationError(ctx.getNode(), 'Check Fields Against Plek Schema needs a Plek credential', {
			description: 'Select a Plek API credential on this node, or turn the option off.',
		});
	}
	const client = await createPlekClient(ctx);
	const attributes = describeUserAttributes(await client.getSchemas());
	// A Plek without /Schemas advertises nothing to check against: schema checks are off, not "all unknown".
	return attributes.length > 0 ? attributes : undefined;
}

/**
 * The mapping compiled once per execution, outside the item loop. A rule that does not compile fails the run naming
 * its parameter, or (continue on fail) sends every item to Invalid with the reason.
 */
async function compileForRun(
	ctx: IExecuteFunctions,
	params: MapperParams,
	slots: ExpressionSlot[],
	items: INodeExecutionData[],
): Promise<{ mapping: CompiledMapping; failed?: undefined } | { mapping?: undefined; failed: INodeExecutionData[] }> {
	const schema = await schemaForCheck(ctx, params);
	try {
		return { mapping: compileMapping(withExpressionSlots(params.config, slots), { ...params.compile, schema }) };
	} catch (error) {
		if (!(error instanceof MappingCompileError)) throw new NodeOperationError(ctx.getNode(), error as Error);
		const label = parameterLabel(error.expressionName);
		const where = error.position !== undefined ? ` at position ${error.position}` : '';
		const backticks = backtickHint(error.expression, items.map((item) => item.json));
		const failure = new NodeOperationError(ctx.getNode(), `${label}: ${error.detail}${where}`, {
			description: `Parameter "${label}" of the Plek Mapper. Expression: ${error.expression || '(empty)'}. ${backticks}${jsonataHint(error.expression)}`,
		});
		if (!ctx.continueOnFail()) throw failure;
		return { failed: items.map((item, index) => ({ json: { source: item.json, reason: failure.message, field: 'mapping' }, pairedItem: { item: index } })) };
	}
}

/** Each item mapped in turn (cancellable); an unexpected error fails the run, or (continue on fail) that item. */
async function mapItems(
	ctx: IExecuteFunctions,
	mapping: CompiledMapping,
	slots: ExpressionSlot[],
	items: INodeExecutionData[],
): Promise<{ results: Array<MapResult | undefined>; unexpected: Map<number, string> }> {
	const signal = ctx.getExecutionCancelSignal();
	const results: Array<MapResult | undefined> = [];
	const unexpected = new Map<number, string>();
	for (let index = 0; index < items.length; index++) {
		if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled', { itemIndex: index });
		try {
			results.push(await mapRecord(mapping, withExpressionValues(ctx, slots, items[index].json, index)));
		} catch (error) {
			if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: index });
			results.push(undefined);
			unexpected.set(index, (error as Error).message ?? String(error));
		}
	}
	return { results, unexpected };
}

/**
 * Users and Invalid from the per-record results, with the run-wide checks: duplicate keys, the column diagnosis
 * added to the failures and shown as notices, and the invalid share that fails the run (a changed export).
 */
function routeResults(
	ctx: IExecuteFunctions,
	mapping: CompiledMapping,
	items: INodeExecutionData[],
	results: Array<MapResult | undefined>,
	unexpected: Map<number, string>,
	maxInvalidPercent: number,
	hints: NodeExecutionHint[],
): [INodeExecutionData[], INodeExecutionData[]] {
	const users: INodeExecutionData[] = [];
	const invalid: INodeExecutionData[] = [];
	const sources = items.map((item) => item.json);
	const diagnosis = diagnoseColumns(mapping, sources);
	const checked = explainFailures(mapping, diagnosis, applyRunValidation(mapping, results));
	checked.forEach((result, index) => {
		const pairedItem = { item: index };
		if (result === undefined) {
		invalid.push({
			json: { source: items[index].json, reason: unexpected.get(index) ?? 'unexpected error', field: 'node' },
			pairedItem,
		});
		} else if (result.ok) {
		users.push({ json: result.record as unknown as IDataObject, pairedItem });
		} else {
		invalid.push({ json: invalidJson(items[index].json, result), pairedItem });
		}
	});
	const share = invalidShare(items.length, invalid.length, maxInvalidPercent, diagnosis, sources, invalid[0]?.json.reason as string | undefined);
	if (share.tooMany && !ctx.continueOnFail()) {
		throw new NodeOperationError(ctx.getNode(), share.message, { description: share.description });
	}
	hints.push(...columnNotices(diagnosis).map((message): NodeExecutionHint => ({ type: 'warning', location: 'outputPane', message })));
	hints.push(invalidOutputHint(items.length, invalid.length));
	if (share.tooMany) hints.push({ type: 'danger', location: 'outputPane', message: `${share.message}. The run continues because the node is set to continue on error.` });
	return [users, invalid];
}

function invalidJson(source: IDataObject, failure: MapFailure): IDataObject {
	const json: IDataObject = { source, reason: failure.reason, field: failure.field };
	if (failure.expression !== undefined) json.expression = failure.expression;
	return json;
}

/** Said once per run: the Mapper removed a byte-order mark from the first column name. */
function bomHint(column: string, count: number): NodeExecutionHint {
	return {
		type: 'info',
		location: 'outputPane',
		message: `Removed an invisible byte-order mark (U+FEFF) from the first column name, \`${column}\`, in ${count} item(s): the file is UTF-8 with a BOM. Rules read it as ${column}. To remove it at the source, turn on Extract From File's Exclude Byte Order Mark option.`,
	};
}

/** n8n shows an empty output as "No output data": say why the Invalid output is empty, or what to do with it. */
export function invalidOutputHint(total: number, invalid: number): NodeExecutionHint {
	if (invalid === 0) {
		return { type: 'info', location: 'outputPane', message: `All ${total} record(s) mapped: the Invalid output is empty, nothing to fix.` };
	}
	return {
		type: 'warning',
		location: 'outputPane',
		message: `${invalid} of ${total} record(s) could not be mapped and are left out of the sync: each Invalid item names the field and the reason. Fix the rule or the source data.`,
	};
}

