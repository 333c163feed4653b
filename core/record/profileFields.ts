// Plek's profile fields as every node offers them in its dropdown (the Mapper's Profile Fields, the Plek node's
// user fields): which paths, under which label. From Plek's /Schemas when known, else a static list of the SCIM
// User attributes HR mappings use most. A path the record rules refuse (pictures, dates, identity fields) is never
// offered. Free of n8n: a choice has the shape of an n8n option ({name, value, description}).
import type { AttributeInfo } from '../mapping/types';
import { ENTERPRISE_USER_SCHEMA } from '../scimPath';
import { checkProfilePath, indexSchema, normaliseAttributePath, type SchemaIndex } from './rules';

/** One profile field to choose: `value` is its SCIM path, `name` the label shown. */
export interface ProfileFieldChoice {
	name: string;
	value: string;
	description: string;
}

/** Common SCIM User paths, offered when the node cannot read Plek's /Schemas (no credential). */
export const COMMON_PROFILE_FIELDS: readonly ProfileFieldChoice[] = (
	[
		['Given Name', 'name.givenName'],
		['Family Name', 'name.familyName'],
		['Middle Name', 'name.middleName'],
		['Formatted Name', 'name.formatted'],
		['Display Name', 'displayName'],
		['Nickname', 'nickName'],
		['Job Title', 'title'],
		['User Type', 'userType'],
		['Preferred Language', 'preferredLanguage'],
		['Locale', 'locale'],
		['Work Email', 'emails[type eq "work"].value'],
		['Work Phone', 'phoneNumbers[type eq "work"].value'],
		['Mobile Phone', 'phoneNumbers[type eq "mobile"].value'],
		['Work Street Address', 'addresses[type eq "work"].streetAddress'],
		['Work City', 'addresses[type eq "work"].locality'],
		['Work Postal Code', 'addresses[type eq "work"].postalCode'],
		['Work Country', 'addresses[type eq "work"].country'],
		['Employee Number (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:employeeNumber`],
		['Department (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:department`],
		['Division (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:division`],
		['Organization (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:organization`],
		['Cost Center (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:costCenter`],
		['Manager ID (Enterprise)', `${ENTERPRISE_USER_SCHEMA}:manager.value`],
	] as const
).map(([name, path]) => Object.freeze({ name, value: path, description: `SCIM path ${path}` }));

/** Sub-attributes of multi-valued attributes that select or describe an element rather than hold a value. */
const SELECTOR_SUB_ATTRIBUTES = new Set(['type', 'primary', 'display', '$ref', 'operation']);

/** The element types a multi-valued attribute's values are offered for: `phoneNumbers` has a mobile one too. */
const elementTypes = (attribute: string) => (/phoneNumbers$/i.test(attribute) ? ['work', 'mobile'] : ['work']);

/**
 * The schema of an extension attribute in words: "Enterprise" for SCIM's enterprise user, "Plek" for Plek's own,
 * otherwise the URN's name part before its version (urn:...:extension:acme:2.0:User -> "acme").
 */
function schemaName(schemaUrn: string): string {
	if (schemaUrn === ENTERPRISE_USER_SCHEMA) return 'Enterprise';
	if (/plek/i.test(schemaUrn)) return 'Plek';
	const parts = schemaUrn.split(':');
	const version = parts.findIndex((part) => /^\d+(\.\d+)*$/.test(part));
	return (version > 0 ? parts[version - 1] : parts.at(-1)) || 'extension';
}

/** A path's label: a core path as written, an extension attribute as `department (Enterprise)`. */
export function profileFieldLabel(path: string): string {
	if (!/^urn:/i.test(path)) return path;
	const colon = path.lastIndexOf(':');
	return `${path.slice(colon + 1)} (${schemaName(path.slice(0, colon))})`;
}

/** Two schemas with the same name in words still get distinct labels: the full path is appended to each. */
function withUniqueNames(choices: ProfileFieldChoice[]): ProfileFieldChoice[] {
	const count = new Map<string, number>();
	for (const choice of choices) count.set(choice.name, (count.get(choice.name) ?? 0) + 1);
	return choices.map((choice) => ((count.get(choice.name) ?? 0) > 1 ? { ...choice, name: `${choice.name} - ${choice.value}` } : choice));
}

/**
 * The paths one attribute is offered under: itself; a sub-attribute of a multi-valued attribute per element
 * (`emails[type eq "work"].value`, when the attribute has a `type` to select by); nothing for a write-only
 * attribute or a multi-valued one itself.
 */
function offeredPaths(attribute: AttributeInfo, schema: SchemaIndex, multiValued: ReadonlySet<string>): string[] {
	if ((attribute.mutability ?? '').toLowerCase() === 'writeonly') return [];
	const path = attribute.path;
	const dot = path.indexOf('.', path.lastIndexOf(':') + 1); // the sub-attribute's dot, not one in a URN's version
	const parent = dot === -1 ? undefined : path.slice(0, dot);
	const inMultiValued = parent !== undefined && (attribute.multiValued === true || multiValued.has(parent.toLowerCase()));
	if (!inMultiValued) return attribute.multiValued ? [] : [path];
	const sub = path.slice(dot + 1);
	if (SELECTOR_SUB_ATTRIBUTES.has(sub) || !schema.has(normaliseAttributePath(`${parent}.type`))) return [];
	return elementTypes(parent).map((type) => `${parent}[type eq "${type}"].${sub}`);
}

/** Plek's user attributes (from /Schemas) as profile field choices: writable, single-valued, syncable paths, by label. */
export function profileFieldChoices(attributes: readonly AttributeInfo[]): ProfileFieldChoice[] {
	const schema = indexSchema([...attributes]) as SchemaIndex;
	const multiValued = new Set(attributes.filter((a) => a.multiValued).map((a) => a.path.toLowerCase()));
	const choices = new Map<string, ProfileFieldChoice>(); // by lower-cased path: one choice per attribute
	for (const attribute of attributes) {
		for (const path of offeredPaths(attribute, schema, multiValued)) {
			if (choices.has(path.toLowerCase()) || checkProfilePath(path, schema) !== undefined) continue;
			choices.set(path.toLowerCase(), { name: profileFieldLabel(path), value: path, description: attribute.description || `SCIM path ${path}` });
		}
	}
	return withUniqueNames([...choices.values()]).sort((a, b) => a.name.localeCompare(b.name));
}
