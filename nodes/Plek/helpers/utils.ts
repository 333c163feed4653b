import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	checkProfilePath,
	DEFAULT_RECORD_LIMITS,
	indexSchema,
	isEmailPath,
	normaliseAttributePath,
	profileFieldChoices as plekProfileFields,
	profileFieldLabel,
	profileValueProblem,
} from '../../../core/record';
import type { AttributeInfo } from '../../../core/mapping/types';
import { ENTERPRISE_USER_SCHEMA, formatScimPath, isEmptyValue, parseScimPath } from '../../../core/scimPath';
import type { ProfileValue, ScimUser } from '../../../core/types';
import { describeUserAttributes } from '../../../transport';
import type { PlekScimClient } from '../../../transport';
import type { PlekExecutionContext } from './interfaces';

/** The value of the profile field dropdown that switches to a path typed by hand. */
export const CUSTOM_PATH = '__custom';

/** User attributes of Plek's /Schemas as the mapping validator knows them. */
export async function readUserAttributes(client: PlekScimClient): Promise<AttributeInfo[]> {
	const schemas = await client.getSchemas();
	return describeUserAttributes(schemas).map((attribute) => ({
		path: attribute.path,
		type: attribute.type,
		mutability: attribute.mutability,
		multiValued: attribute.multiValued,
		description: attribute.description,
	}));
}

/**
 * The profile field paths a user can pick: Plek's profile fields from the one list every node offers
 * (core/record/profileFields.ts: writable, syncable, a multi-valued value through an element such as "work").
 */
export function profileFieldChoices(attributes: AttributeInfo[]): Array<{ path: string; description: string }> {
	return plekProfileFields(attributes).map((choice) => ({ path: choice.value, description: choice.description }));
}

/** A readable name for a SCIM path, as every node labels it: an extension attribute as `department (Enterprise)`. */
export function displayNameOfPath(path: string): string {
	return profileFieldLabel(path);
}

export interface ProfileFieldInput {
	path: string;
	value: ProfileValue;
}

// A Map, not an object literal: a path named `constructor` or `toString` must not find Object.prototype's members.
export const OWN_PARAMETER: ReadonlyMap<string, string> = new Map([
	['username', 'the User Name parameter'],
	['externalid', 'the External ID parameter'],
	['active', 'the Deactivate and Reactivate operations'],
]);

/**
 * Checks the chosen profile fields against Plek's rules and schema: pictures, birthdates, dateTime/binary and
 * read-only attributes are refused with an error naming the field. Values are converted to the attribute's
 * type (`"true"` for a boolean, `"42"` for an integer) when the schema declares one.
 */
export async function validateProfileFields(
	this: IExecuteFunctions,
	ctx: PlekExecutionContext,
	fields: ProfileFieldInput[],
	itemIndex: number,
): Promise<ProfileFieldInput[]> {
	if (fields.length === 0) return fields;
	const attributes = await ctx.userAttributes();
	const index = indexSchema(attributes);
	const out: ProfileFieldInput[] = [];
	const seen = new Map<string, string>();
	for (const field of fields) {
		const normalised = normaliseAttributePath(field.path);
		const own = OWN_PARAMETER.get(normalised);
		// The record contract's rules (core/record): refused paths, one length limit, control characters.
		const problem = own
			? `${field.path} is not a profile field: set it with ${own}`
			: (checkProfilePath(field.path, index) ?? profileValueProblem(field.path, field.value, DEFAULT_RECORD_LIMITS));
		if (problem) {
			throw new NodeOperationError(this.getNode(), `Profile field "${field.path}" cannot be synced to Plek: ${problem}`, {
				itemIndex,
				description: 'Remove this field from Profile Fields, or choose another one.',
			});
		}
		const canonical = formatScimPath(parseScimPath(field.path));
		const duplicate = seen.get(canonical.toLowerCase());
		if (duplicate !== undefined) {
			throw new NodeOperationError(this.getNode(), `Profile field "${field.path}" is set twice`, { itemIndex });
		}
		seen.set(canonical.toLowerCase(), field.path);
		const type = index?.get(normalised)?.type.toLowerCase();
		out.push({ path: canonical, value: coerce.call(this, field, type, itemIndex) });
	}
	return out;
}

function coerce(this: IExecuteFunctions, field: ProfileFieldInput, type: string | undefined, itemIndex: number): ProfileValue {
	const value = field.value;
	if (isEmptyValue(value) || typeof value !== 'string' || type === undefined) return value;
	const text = value.trim();
	if (type === 'boolean') {
		if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
	} else if (type === 'integer') {
		if (/^[+-]?\d+$/.test(text)) return Number(text);
	} else if (type === 'decimal') {
		if (text !== '' && Number.isFinite(Number(text))) return Number(text);
	} else {
		return value;
	}
	throw new NodeOperationError(
		this.getNode(),
		`Profile field "${field.path}" needs a ${type} value in Plek, got ${JSON.stringify(value)}`,
		{ itemIndex },
	);
}

/** The e-mail addresses among the profile fields (a protected address must not be written onto another account). */
export function emailWrites(fields: ProfileFieldInput[]): Array<{ field: string; value: unknown }> {
	return fields.filter((field) => isEmailPath(field.path)).map((field) => ({ field: field.path, value: field.value }));
}

/** Splits a member list: an array (from an expression), or text separated by commas or new lines. */
export function parseIdList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map((v) => String(v ?? '')) : String(value ?? '').split(/[,\n\r]+/);
	const out: string[] = [];
	for (const part of parts) {
		const id = part.trim();
		if (id && !out.includes(id)) out.push(id);
	}
	return out;
}

/** A ScimUser as an output item. */
export function userToJson(user: ScimUser): IDataObject {
	return { ...user } as IDataObject;
}

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** displayName, else given + family name. */
export function personName(user: ScimUser): string | undefined {
	const name = record(user.name);
	return text(user.displayName) ?? ([text(name.givenName), text(name.familyName)].filter(Boolean).join(' ') || undefined);
}

/** The primary (else first) e-mail address. */
function primaryEmail(user: ScimUser): string | undefined {
	const emails = Array.isArray(user.emails) ? (user.emails as unknown[]).map(record) : [];
	return text((emails.find((e) => e.primary === true) ?? emails[0])?.value);
}

/** A compact user for people and AI agents: who, how to reach them, where they work, whether active. */
export function simplifyUser(user: ScimUser): IDataObject {
	const enterprise = record(user[ENTERPRISE]);
	const out: IDataObject = {
		id: user.id,
		externalId: user.externalId,
		userName: user.userName,
		name: personName(user),
		email: primaryEmail(user),
		title: text(user.title),
		department: text(enterprise.department),
		active: user.active,
	};
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}

/** Only the named top-level attributes (and id), as Plek returned them; names match case-insensitively. */
export function selectUserFields(user: ScimUser, fields: string[]): IDataObject {
	const wanted = new Set(['id', ...fields].map((f) => f.trim().toLowerCase()).filter(Boolean));
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(user)) if (wanted.has(key.toLowerCase())) out[key] = value as IDataObject[string];
	return out;
}
