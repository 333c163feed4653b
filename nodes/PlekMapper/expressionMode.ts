import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MappingConfig } from '../../core/mapping';
import { RECORD_FIELD_ROWS } from '../../core/mapping/fields';
import { parameterOf } from './params';

// A Mapper parameter in Expression mode (raw value "={{ ... }}", what dragging an input field writes) is an n8n
// expression: n8n resolves it per item and the Mapper uses that value as is. Fixed mode stays JSONata. The compiled
// mapping reads the resolved values from this field of the item it evaluates (added to a copy, never output).
export const EXPRESSION_VALUES_FIELD = '__plekN8nExpressionValues';

/** One parameter in Expression mode: where its per-item value goes and how to read it. */
export interface ExpressionSlot {
	slot: string;
	parameter: string;
	index?: number;
	property?: 'expression' | 'condition' | 'groupName';
}

export function isExpressionMode(raw: unknown): boolean {
	return typeof raw === 'string' && raw.startsWith('=');
}

function listAt(parameters: IDataObject, collection: string, entry: string): IDataObject[] {
	const list = (parameters[collection] as IDataObject | undefined)?.[entry];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/** The parameters the user switched to Expression mode, read from the node's raw (unresolved) parameters. */
export function expressionSlots(parameters: IDataObject, mode: string): ExpressionSlot[] {
	if (mode === 'document') return isExpressionMode(parameters.document) ? [{ slot: 'document', parameter: 'document' }] : [];
	const slots: ExpressionSlot[] = RECORD_FIELD_ROWS.map(parameterOf)
		.filter((name) => isExpressionMode(parameters[name]))
		.map((name) => ({ slot: name, parameter: name }));
	listAt(parameters, 'profileFields', 'field').forEach((field, index) => {
		if (isExpressionMode(field.expression)) slots.push({ slot: `profile${index}`, parameter: 'profileFields.field', index, property: 'expression' });
	});
	listAt(parameters, 'groupRules', 'rule').forEach((rule, index) => {
		if (isExpressionMode(rule.condition)) slots.push({ slot: `group${index}`, parameter: 'groupRules.rule', index, property: 'condition' });
		if (rule.groupFrom === 'field' && isExpressionMode(rule.groupName)) slots.push({ slot: `groupName${index}`, parameter: 'groupRules.rule', index, property: 'groupName' });
	});
	return slots;
}

/** The JSONata that reads a slot's per-item value. */
function slotReference(slot: string): string {
	return `\`${EXPRESSION_VALUES_FIELD}\`.\`${slot}\``;
}

/** The mapping config with each Expression-mode parameter replaced by a read of its per-item value. */
export function withExpressionSlots(config: MappingConfig, slots: ExpressionSlot[]): MappingConfig {
	if (slots.length === 0) return config;
	if ('document' in config) return { document: slotReference('document') };
	const names = new Set(slots.map((slot) => slot.slot));
	const pick = <T extends string | undefined>(slot: string, jsonata: T): T | string => (names.has(slot) ? slotReference(slot) : jsonata);
	const fields = Object.fromEntries(RECORD_FIELD_ROWS.map((row) => [row.field, pick(parameterOf(row), config[row.field])]));
	return {
		...config,
		...fields,
		profile: config.profile?.map((field, index) => ({ ...field, expression: pick(`profile${index}`, field.expression) })),
		groups: config.groups?.map((rule, index) => ({
			...rule,
			condition: pick(`group${index}`, rule.condition),
			...(rule.groupName !== undefined ? { groupName: pick(`groupName${index}`, rule.groupName) } : {}),
		})),
	};
}

/** The item to evaluate: the source record plus the values n8n resolved for it (the source itself is not changed). */
export function withExpressionValues(ctx: IExecuteFunctions, slots: ExpressionSlot[], json: IDataObject, itemIndex: number): IDataObject {
	if (slots.length === 0) return json;
	const values: IDataObject = {};
	for (const slot of slots) {
		const resolved = ctx.getNodeParameter(slot.parameter, itemIndex, slot.index === undefined ? '' : []);
		values[slot.slot] =
			slot.index === undefined ? resolved : ((resolved as IDataObject[])[slot.index]?.[slot.property as string] as IDataObject[keyof IDataObject]);
	}
	return { ...json, [EXPRESSION_VALUES_FIELD]: values };
}
