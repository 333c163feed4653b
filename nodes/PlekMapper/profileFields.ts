// Profile-field choices for the editor: from Plek's /Schemas when a credential is set, otherwise a static list
// of the SCIM User attributes HR mappings use most. Paths Plek does not sync are never offered.
import type { INodePropertyOptions } from 'n8n-workflow';

import { checkProfilePath, indexSchema } from '../../core/mapping';
import type { AttributeInfo } from '../../core/mapping';
import { ENTERPRISE_USER_SCHEMA } from '../../core/scimPath';

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;

/** Common SCIM User paths, offered when the node has no Plek credential. */
export const COMMON_PROFILE_FIELDS: INodePropertyOptions[] = (
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
		['Employee Number (Enterprise)', `${ENTERPRISE}:employeeNumber`],
		['Department (Enterprise)', `${ENTERPRISE}:department`],
		['Division (Enterprise)', `${ENTERPRISE}:division`],
		['Organization (Enterprise)', `${ENTERPRISE}:organization`],
		['Cost Center (Enterprise)', `${ENTERPRISE}:costCenter`],
		['Manager ID (Enterprise)', `${ENTERPRISE}:manager.value`],
	] as const
).map(([name, path]) => ({ name, value: path, description: `SCIM path ${path}` }));

/** Sub-attributes of multi-valued attributes that select or describe an element rather than hold a value. */
const SELECTOR_SUB_ATTRIBUTES = new Set(['type', 'primary', 'display', '$ref', 'operation']);

/**
 * The schema of an extension attribute in words: "Enterprise" for SCIM's enterprise user, "Plek" for Plek's own,
 * otherwise the URN's name part before its version (urn:...:extension:acme:2.0:User -> "acme").
 */
function schemaName(schemaUrn: string): string {
	if (schemaUrn === ENTERPRISE) return 'Enterprise';
	if (/plek/i.test(schemaUrn)) return 'Plek';
	const parts = schemaUrn.split(':');
	const version = parts.findIndex((part) => /^\d+(\.\d+)*$/.test(part));
	return (version > 0 ? parts[version - 1] : parts.at(-1)) || 'extension';
}

/** Two schemas with the same name in words still get distinct labels: the full path is appended to each. */
function withUniqueNames(options: INodePropertyOptions[]): INodePropertyOptions[] {
	const count = new Map<string, number>();
	for (const option of options) count.set(option.name, (count.get(option.name) ?? 0) + 1);
	return options.map((option) => ((count.get(option.name) ?? 0) > 1 ? { ...option, name: `${option.name} - ${option.value}` } : option));
}

/** Turn Plek's user attributes into dropdown options: writable, scalar, syncable paths only. */
export function profileFieldOptions(attributes: AttributeInfo[]): INodePropertyOptions[] {
	const options = new Map<string, INodePropertyOptions>();
	const byPath = new Map(attributes.map((a) => [a.path.toLowerCase(), a]));
	const schema = indexSchema(attributes);
	for (const attribute of attributes) {
		let paths = [attribute.path];
		const dot = attribute.path.lastIndexOf('.');
		const parent = dot > 0 ? byPath.get(attribute.path.slice(0, dot).toLowerCase()) : undefined;
		if (parent?.multiValued) {
			// A multi-valued complex attribute is addressed per element: emails[type eq "work"].value.
			const sub = attribute.path.slice(dot + 1);
			if (SELECTOR_SUB_ATTRIBUTES.has(sub)) continue;
			const base = attribute.path.slice(0, dot);
			const kinds = /phoneNumbers$/i.test(base) ? ['work', 'mobile'] : ['work'];
			paths = kinds.map((kind) => `${base}[type eq "${kind}"].${sub}`);
		} else if (attribute.multiValued) {
			continue;
		}
		for (const path of paths) {
			if (checkProfilePath(path, schema) !== undefined) continue;
			const schemaUrn = path.startsWith('urn:') ? path.slice(0, path.lastIndexOf(':')) : '';
			const shortPath = schemaUrn ? path.slice(schemaUrn.length + 1) : path;
			const extension = schemaUrn ? ` (${schemaName(schemaUrn)})` : '';
			options.set(path, {
				name: `${shortPath}${extension}`,
				value: path,
				description: attribute.description ? `${attribute.description} (SCIM path ${path})` : `SCIM path ${path}`,
			});
		}
	}
	return withUniqueNames([...options.values()]).sort((a, b) => a.name.localeCompare(b.name));
}
