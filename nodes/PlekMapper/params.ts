// The Plek Mapper's parameters, read in one pure function: raw values in (as n8n hands them), the mapping, the
// compile options and the run's settings out. Every default is the description's (description.ts): no default is
// written twice. The record's own fields come from the engine's field table (core/mapping/fields.ts).
import type { INodeProperties } from 'n8n-workflow';

import { RECORD_FIELD_ROWS, type RecordFieldRow } from '../../core/mapping/fields';
import type { FieldsMappingConfig, GroupRule, MappingConfig, ProfileFieldRule } from '../../core/mapping/types';
import { ParameterSchema, readChoice, readCollection, readFlag, readNumber } from '../shared/parameters';
import { mapperProperties } from './description';

export const MAPPER_PARAMETERS = new ParameterSchema(mapperProperties);
const M = MAPPER_PARAMETERS;

/** A top-level parameter's raw value (n8n's getNodeParameter for item 0). */
export type ParameterSource = (name: string) => unknown;

export type MapperMode = 'fields' | 'document' | 'propose';

export interface MapperParams {
	mode: MapperMode;
	/** Fields and Document mode: the mapping as the parameters give it (Expression-mode ones are the node's to swap). */
	config: MappingConfig;
	/** The engine's bounds; the time zone is the workflow's when Options › Time Zone is empty. */
	compile: { timeoutMs: number; maxDepth: number; maxStringLength: number; defaultTimeZone: string };
	/** Read Plek's /Schemas (needs the credential) and refuse fields it does not know. */
	checkSchema: boolean;
	maxInvalidPercent: number;
}

/** The node parameter of a record field: the key is the Mapping Key, every other field its own name. */
export const parameterOf = (row: RecordFieldRow): string => (row.field === 'key' ? 'mappingKey' : row.field);

/** Reads every parameter of the Mapper; `workflowTimeZone` stands in for an empty Time Zone. */
export function readMapperParams(get: ParameterSource, workflowTimeZone: string): MapperParams {
	const mode = readChoice<MapperMode>(M, 'mode', get('mode'));
	const options = readCollection(get('options'));
	const option = (name: string) => readNumber(M, `options.${name}`, options[name]);
	const timeZone = typeof options.timeZone === 'string' ? options.timeZone.trim() : '';
	return {
		mode,
		config: mode === 'document' ? { document: readText('document', get('document')) } : readFieldsConfig(get),
		compile: {
			timeoutMs: option('timeoutMs'),
			maxDepth: option('maxDepth'),
			maxStringLength: option('maxStringLength'),
			defaultTimeZone: timeZone || workflowTimeZone,
		},
		checkSchema: readFlag(M, 'options.checkSchema', options.checkSchema),
		maxInvalidPercent: option('maxInvalidPercent'),
	};
}

/** A text parameter: its value, the description's default when absent (`values` for an entry of a fixed collection). */
function readText(path: string, value: unknown, values?: ReadonlyMap<string, INodeProperties>): string {
	if (typeof value === 'string') return value;
	const fallback = values ? values.get(path)?.default : M.defaultOf(path);
	return value === undefined || value === null ? String(fallback ?? '') : String(value);
}

/** The entries of a fixed collection (`profileFields` › `field`) and the description of their values, by name. */
function entriesOf(get: ParameterSource, collection: string, entry: string): { entries: Array<Record<string, unknown>>; values: ReadonlyMap<string, INodeProperties> } {
	const list = readCollection(get(collection))[entry];
	const property = mapperProperties.find((p) => p.name === collection);
	const option = (property?.options ?? []).find((o) => (o as { name: string }).name === entry) as { values?: INodeProperties[] } | undefined;
	return {
		entries: Array.isArray(list) ? list.map((item) => readCollection(item)) : [],
		values: new Map((option?.values ?? []).map((value) => [value.name, value])),
	};
}

function readFieldsConfig(get: ParameterSource): FieldsMappingConfig {
	const config: Record<string, unknown> = {};
	for (const row of RECORD_FIELD_ROWS) config[row.field] = readText(parameterOf(row), get(parameterOf(row)));
	const fields = entriesOf(get, 'profileFields', 'field');
	const rules = entriesOf(get, 'groupRules', 'rule');
	const profile = fields.entries.map(
		(field): ProfileFieldRule => ({
			path: readText('path', field.path, fields.values),
			expression: readText('expression', field.expression, fields.values),
			createOnly: readText('apply', field.apply, fields.values) === 'createOnly',
		}),
	);
	const groups = rules.entries.map((rule): GroupRule => {
		const condition = readText('condition', rule.condition, rules.values);
		if (readText('groupFrom', rule.groupFrom, rules.values) === 'field') return { group: '', groupName: readText('groupName', rule.groupName, rules.values), condition };
		return { group: readText('group', rule.group, rules.values), condition };
	});
	return { ...(config as unknown as FieldsMappingConfig), profile, groups };
}
