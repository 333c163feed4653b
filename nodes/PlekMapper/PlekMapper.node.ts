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
	DEFAULT_MAX_INVALID_PERCENT,
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
	type MappingConfig,
	type MapResult,
} from '../../core/mapping';
import { createPlekClient, describeUserAttributes } from '../../transport';
import { COMMON_PROFILE_FIELDS, profileFieldOptions } from './profileFields';
import { isEmptySource } from '../../core/sync/planner/source';
import { proposalOutput } from './proposal';
import { expressionSlots, withExpressionSlots, withExpressionValues } from './expressionMode';

const CREDENTIAL = 'plekApi';

const DEFAULT_DOCUMENT = `{
  "key": $adGuid(objectGUID),
  "userName": $normalizeEmail(mail),
  "active": $not($adDisabled(userAccountControl)),
  "profile": {
    "name.givenName": givenName,
    "name.familyName": sn,
    "title": title,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": department
  },
  "groups": [department = 'Care' ? 'Care']
}`;

interface ProfileFieldParameter {
	path?: string;
	expression?: string;
	apply?: 'always' | 'createOnly';
}

interface GroupRuleParameter {
	groupFrom?: 'fixed' | 'field';
	group?: string;
	groupName?: string;
	condition?: string;
}

interface MapperOptions {
	checkSchema?: boolean;
	maxDepth?: number;
	maxStringLength?: number;
	timeoutMs?: number;
	timeZone?: string;
	maxInvalidPercent?: number;
}

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
	if (expressionName === 'mapping key') return 'Mapping Key';
	if (expressionName === 'user name') return 'User Name';
	if (expressionName === 'active') return 'Active';
	if (expressionName === 'manager') return 'Manager';
	if (expressionName === 'document') return 'Document';
	if (expressionName === 'start date') return 'Start Date';
	if (expressionName === 'time zone') return 'Options › Time Zone';
	if (expressionName.startsWith('profile field ')) return `Profile Fields › ${expressionName.slice(14)}`;
	if (expressionName.startsWith('group rule (name from ')) return `Group Rules › Group Name Expression ${expressionName.slice(22, -1)}`;
	if (expressionName.startsWith('group rule ')) return `Group Rules › ${expressionName.slice(11)}`;
	return expressionName;
}

function hasCredential(ctx: IExecuteFunctions | ILoadOptionsFunctions): boolean {
	return Boolean(ctx.getNode().credentials?.[CREDENTIAL]);
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
				name: CREDENTIAL,
				required: false,
			},
		],
		properties: [
			{
				displayName:
					'Rules here are JSONata (jsonata.org), evaluated per input item, e.g. <code>$adGuid(objectGUID)</code> or <code>department = \'Care\'</code>. They are not n8n expressions, so leave the fields in Fixed mode. A Plek credential is optional: it fills the field and group dropdowns.',
				name: 'jsonataNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Fields',
						value: 'fields',
						description: 'One JSONata expression per part of the record: key, user name, active, profile fields, group rules',
					},
					{
						name: 'Document',
						value: 'document',
						description: 'One JSONata expression that returns the whole record, for integration engineers',
					},
					{
						name: 'Propose Mapping',
						value: 'propose',
						description:
							'Look at the input records and propose a complete Fields mapping (key, user name, active, names, e-mail, job, manager, start date, a group per department) with why and a confidence, ready to paste as a configured Plek Mapper',
					},
				],
				default: 'fields',
			},
			{
				displayName:
					'Run this node once on the real export: its output is a proposed mapping, each field with the column it reads, why and a confidence. To accept it, copy the output\'s <code>mapperNode</code> value and paste it on the canvas (Ctrl+V): a Plek Mapper in Fields mode with those fields appears, ordinary fields to check and edit one by one. Nothing is proposed at run time.',
				name: 'proposeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['propose'] } },
			},
			{
				displayName: 'Mapping Key',
				name: 'mappingKey',
				type: 'string',
				required: true,
				default: '',
				placeholder: '$adGuid(objectGUID)',
				description:
					'The value that identifies a person and never changes (AD objectGUID, employee number); it becomes the SCIM externalId in Plek. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'User Name',
				name: 'userName',
				type: 'string',
				default: '',
				placeholder: '$normalizeEmail(mail)',
				description:
					'The Plek login: an e-mail address or a plain login. Empty: the first e-mail profile field is used. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'Active',
				name: 'active',
				type: 'string',
				default: 'true',
				placeholder: "$not($adDisabled(userAccountControl)) or $toBool(isActive) and $not($leaveDatePassed(endDate))",
				description:
					'Must return true or false; false deactivates the user in Plek. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'string',
				default: '',
				placeholder: '$startDate(hireDate)',
				description:
					"Optional: the person's first working day, for pre-hires. $startDate() reads 2027-01-04, 04-01-2027, 04/01/2027, 20270104 and Excel serial numbers (a bare year such as 2027 is refused, never guessed). Before this date the Plek Sync does not create or activate the person (see its Create Pre-hires option). JSONata; keep the field in Fixed mode.",
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'Leave Date',
				name: 'leaveDate',
				type: 'string',
				default: '',
				placeholder: '$toIsoDate(endDate)',
				description:
					"Optional: the person's leave date (last working day), for the Plek Sync's report: a person still active whose leave date is ahead is counted in its Summary and named in Changes and Explain (\"leaves on 2027-03-31\"). Never written to Plek; Active alone decides. $toIsoDate() reads 2027-03-31, 31-03-2027, 31/03/2027 and ISO date-times. JSONata; keep the field in Fixed mode.",
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'Manager',
				name: 'manager',
				type: 'string',
				default: '',
				placeholder: 'managerId',
				description:
					"The mapping key of this person's manager (the same value the manager's Mapping Key gives, e.g. their employee number). Plek Sync sets the Plek manager to that person, also when both are created in the same run. Empty: no manager. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.",
				displayOptions: { show: { mode: ['fields'] } },
			},
			{
				displayName: 'Profile Fields',
				name: 'profileFields',
				type: 'fixedCollection',
				placeholder: 'Add Profile Field',
				typeOptions: { multipleValues: true, sortable: true },
				default: {},
				displayOptions: { show: { mode: ['fields'] } },
				options: [
					{
						name: 'field',
						displayName: 'Field',
						values: [
							{
								displayName: 'Plek Field Name or ID',
								name: 'path',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getProfileFields' },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
								hint: 'The ID is a SCIM attribute path, e.g. name.givenName or emails[type eq "work"].value. Without a Plek credential the list shows common fields.',
							},
							{
								displayName: 'Expression',
								name: 'expression',
								type: 'string',
								typeOptions: { rows: 2 },
								default: '',
								placeholder: '$nameCase(givenName)',
								description:
									'The value for this field. JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
							},
							{
								displayName: 'Apply',
								name: 'apply',
								type: 'options',
								options: [
									{ name: 'Always', value: 'always', description: 'Set on create and keep in step on every run' },
									{ name: 'Only on Create', value: 'createOnly', description: 'Set when the user is created, never updated afterwards' },
								],
								default: 'always',
							},
						],
					},
				],
			},
			{
				displayName: 'Group Rules',
				name: 'groupRules',
				type: 'fixedCollection',
				placeholder: 'Add Group Rule',
				typeOptions: { multipleValues: true, sortable: true },
				default: {},
				displayOptions: { show: { mode: ['fields'] } },
				options: [
					{
						name: 'rule',
						displayName: 'Rule',
						values: [
							{
								displayName: 'Group',
								name: 'groupFrom',
								type: 'options',
								options: [
									{ name: 'One Fixed Group', value: 'fixed', description: 'Pick the group from the list' },
									{
										name: 'Named by a Field',
										value: 'field',
										description: 'The group is named by the record, e.g. its department: one rule covers every department',
									},
								],
								default: 'fixed',
							},
							{
								displayName: 'Group Name or ID',
								name: 'group',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getGroups' },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
								hint: "The ID is the group's name in Plek. The list needs a Plek credential; without one, type the name as an expression.",
								displayOptions: { show: { groupFrom: ['fixed'] } },
							},
							{
								displayName: 'Group Name Expression',
								name: 'groupName',
								type: 'string',
								default: '',
								placeholder: 'department',
								description:
									'The name of the group this person belongs in, e.g. <code>department</code> or <code>"Team " & location</code>; a list puts the person in several groups, empty puts them in none. JSONata; keep the field in Fixed mode. A group Plek lacks is reported, or created with the Sync\'s Create Missing Groups.',
								displayOptions: { show: { groupFrom: ['field'] } },
							},
							{
								displayName: 'Condition',
								name: 'condition',
								type: 'string',
								typeOptions: { rows: 2 },
								default: '',
								placeholder: "title in ['Nurse', 'Carer']",
								description:
									'The person is put in the group when this is true (for a group named by a field, empty means always). JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
							},
						],
					},
				],
			},
			{
				displayName: 'Document',
				name: 'document',
				type: 'string',
				typeOptions: { rows: 14 },
				default: DEFAULT_DOCUMENT,
				description:
					'Must return {key, userName, active, profile: {path: value}, createOnly: [paths], groups: [names], startDate, leaveDate, manager} (startDate and leaveDate optional, YYYY-MM-DD; manager: the mapping key of the manager). JSONata, evaluated per input item; not an n8n expression, so keep the field in Fixed mode.',
				displayOptions: { show: { mode: ['document'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Check Fields Against Plek Schema',
						name: 'checkSchema',
						type: 'boolean',
						default: false,
						description:
							"Whether to read Plek's /Schemas (needs the credential) and refuse profile fields Plek does not know, read-only fields and date fields",
					},
					{
						displayName: 'Max Depth',
						name: 'maxDepth',
						type: 'number',
						typeOptions: { minValue: 10 },
						default: 200,
						description: 'How deeply an expression may nest (recursion) before it is stopped',
					},
					{
						displayName: 'Max Invalid Share (%)',
						name: 'maxInvalidPercent',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100 },
						default: DEFAULT_MAX_INVALID_PERCENT,
						description:
							'When more than this share of the records (or all of them) cannot be mapped, the node fails the run, naming the columns the rules expect and the ones the input has, so the error workflow fires: an export whose columns changed is never a silent success. 100: fail only when every record is invalid.',
					},
					{
						displayName: 'Max String Length',
						name: 'maxStringLength',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 2048,
						description: 'Longer texts make the record invalid, naming the field',
					},
					{
						displayName: 'Time Zone',
						name: 'timeZone',
						type: 'string',
						default: '',
						placeholder: 'Europe/Amsterdam',
						description:
							"IANA time zone that $leaveDatePassed(), $daysUntil() and $startDate() use when none is given. Empty: the workflow's time zone.",
					},
					{
						displayName: 'Timeout per Record (Ms)',
						name: 'timeoutMs',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1000,
						description: 'Time all expressions of one record may take together before the record is refused',
					},
				],
			},
		],
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
		// A UTF-8 CSV read with its byte-order mark leaves U+FEFF before the first column name: removed, said once.
		const bom = removeLeadingBom(input.map((item) => item.json));
		const items = bom.count === 0 ? input : input.map((item, index) => ({ ...item, json: bom.items[index] as IDataObject }));
		const hints: NodeExecutionHint[] = bom.count === 0 ? [] : [bomHint(bom.column!, bom.count)];
		const options = this.getNodeParameter('options', 0, {}) as MapperOptions;
		const mode = this.getNodeParameter('mode', 0, 'fields') as string;
		if (mode === 'propose') {
			const proposal = proposalOutput(input.map((item) => item.json), this.getNode().name);
			this.addExecutionHints(proposal.hint);
			return [[{ json: proposal.json, pairedItem: input.map((_, item) => ({ item })) }], []];
		}

		let config: MappingConfig;
		if (mode === 'document') {
			config = { document: this.getNodeParameter('document', 0, '') as string };
		} else {
			const fields = this.getNodeParameter('profileFields.field', 0, []) as ProfileFieldParameter[];
			const rules = this.getNodeParameter('groupRules.rule', 0, []) as GroupRuleParameter[];
			config = {
				key: this.getNodeParameter('mappingKey', 0, '') as string,
				userName: this.getNodeParameter('userName', 0, '') as string,
				active: this.getNodeParameter('active', 0, 'true') as string,
				startDate: this.getNodeParameter('startDate', 0, '') as string,
				leaveDate: this.getNodeParameter('leaveDate', 0, '') as string,
				manager: this.getNodeParameter('manager', 0, '') as string,
				profile: fields.map((field) => ({
					path: field.path ?? '',
					expression: field.expression ?? '',
					createOnly: field.apply === 'createOnly',
				})),
				groups: rules.map((rule) =>
					rule.groupFrom === 'field'
						? { group: '', groupName: rule.groupName ?? '', condition: rule.condition ?? '' }
						: { group: rule.group ?? '', condition: rule.condition ?? '' },
				),
			};
		}

		const slots = expressionSlots(this.getNode().parameters as IDataObject, mode);
		config = withExpressionSlots(config, slots);

		let schema: AttributeInfo[] | undefined;
		if (options.checkSchema) {
			if (!hasCredential(this)) {
				throw new NodeOperationError(this.getNode(), 'Check Fields Against Plek Schema needs a Plek credential', {
					description: 'Select a Plek API credential on this node, or turn the option off.',
				});
			}
			const client = await createPlekClient(this);
			const attributes = describeUserAttributes(await client.getSchemas());
			// A Plek without /Schemas advertises nothing to check against: schema checks are off, not "all unknown".
			schema = attributes.length > 0 ? attributes : undefined;
		}

		// Compile once per execution, outside the item loop.
		let mapping: CompiledMapping | undefined;
		let compileFailure: NodeOperationError | undefined;
		try {
			mapping = compileMapping(config, {
				timeoutMs: options.timeoutMs,
				maxDepth: options.maxDepth,
				maxStringLength: options.maxStringLength,
				defaultTimeZone: options.timeZone?.trim() || this.getTimezone(),
				schema,
			});
		} catch (error) {
			if (!(error instanceof MappingCompileError)) {
				throw new NodeOperationError(this.getNode(), error as Error);
			}
			const label = parameterLabel(error.expressionName);
			const where = error.position !== undefined ? ` at position ${error.position}` : '';
			const backticks = backtickHint(error.expression, items.map((item) => item.json));
			compileFailure = new NodeOperationError(this.getNode(), `${label}: ${error.detail}${where}`, {
				description: `Parameter "${label}" of the Plek Mapper. Expression: ${error.expression || '(empty)'}. ${backticks}${jsonataHint(error.expression)}`,
			});
		}
		if (compileFailure || !mapping) {
			if (!this.continueOnFail()) throw compileFailure;
			const reason = compileFailure?.message ?? 'the mapping did not compile';
			return [
				[],
				items.map((item, index) => ({
					json: { source: item.json, reason, field: 'mapping' },
					pairedItem: { item: index },
				})),
			];
		}

		const signal = this.getExecutionCancelSignal();
		const results: Array<MapResult | undefined> = [];
		const unexpected = new Map<number, string>();
		for (let index = 0; index < items.length; index++) {
			if (signal?.aborted) {
				throw new NodeOperationError(this.getNode(), 'The execution was cancelled', { itemIndex: index });
			}
			try {
				results.push(await mapRecord(mapping, withExpressionValues(this, slots, items[index].json, index)));
			} catch (error) {
				if (!this.continueOnFail()) {
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: index });
				}
				results.push(undefined);
				unexpected.set(index, (error as Error).message ?? String(error));
			}
		}

		const [users, invalid] = routeResults(this, mapping, items, results, unexpected, options, hints);
		this.addExecutionHints(...hints);
		return [users, invalid];
	}
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
	options: MapperOptions,
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
	const share = invalidShare(items.length, invalid.length, options.maxInvalidPercent ?? DEFAULT_MAX_INVALID_PERCENT, diagnosis, sources, invalid[0]?.json.reason as string | undefined);
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

