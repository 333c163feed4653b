/** SCIM schema resources (RFC 7643 section 7) and a flat view of the User attributes for editor dropdowns. */

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
// The User schemas and PatchOp live once, in core/scimPath (core builds the bodies and operations and reads the
// extension); the transport takes every URN from this file.
import { CORE_USER_SCHEMA } from '../core/scimPath';
export { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA } from '../core/scimPath';
export const USER_SCHEMA = CORE_USER_SCHEMA;

export interface ScimSchemaAttribute {
	name: string;
	type?: string;
	multiValued?: boolean;
	description?: string;
	required?: boolean;
	caseExact?: boolean;
	mutability?: string;
	returned?: string;
	uniqueness?: string;
	canonicalValues?: unknown[];
	referenceTypes?: string[];
	subAttributes?: ScimSchemaAttribute[];
}

export interface ScimSchema {
	id: string;
	name?: string;
	description?: string;
	attributes?: ScimSchemaAttribute[];
	schemas?: string[];
	meta?: Record<string, unknown>;
}

export interface UserAttributeDescription {
	/** SCIM attribute path: `userName`, `name.givenName`, `urn:...:User:department`, `urn:...:User:manager.value`. */
	path: string;
	type: string;
	mutability: string;
	multiValued: boolean;
	description: string;
	required: boolean;
	/** The schema URN the attribute belongs to. */
	schema: string;
}

const NOT_USER_SCHEMAS = new Set([
	GROUP_SCHEMA,
	'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
	'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
	'urn:ietf:params:scim:schemas:core:2.0:Schema',
]);

/** Whether a schema describes Users: the core User schema or an extension whose URN ends in `:User`. */
export function isUserSchema(id: string, userExtensions?: readonly string[]): boolean {
	if (id === USER_SCHEMA) return true;
	if (userExtensions) return userExtensions.includes(id);
	if (NOT_USER_SCHEMAS.has(id)) return false;
	return /:User$/i.test(id);
}

/**
 * Flattens the User schema and its extensions: sub-attributes become `parent.sub`; extension attributes are
 * prefixed with the schema URN and a colon. Pass `userExtensions` (from /ResourceTypes) to be exact about which
 * extensions belong to User; otherwise extensions whose URN ends in `:User` are taken.
 */
export function describeUserAttributes(
	schemas: readonly ScimSchema[],
	userExtensions?: readonly string[],
): UserAttributeDescription[] {
	const out: UserAttributeDescription[] = [];
	const ordered = [...schemas].sort((a, b) => (a.id === USER_SCHEMA ? -1 : b.id === USER_SCHEMA ? 1 : 0));
	for (const schema of ordered) {
		if (!schema || typeof schema.id !== 'string' || !isUserSchema(schema.id, userExtensions)) continue;
		const prefix = schema.id === USER_SCHEMA ? '' : `${schema.id}:`;
		for (const attribute of schema.attributes ?? []) {
			if (!attribute || typeof attribute.name !== 'string') continue;
			const path = `${prefix}${attribute.name}`;
			out.push(describe(path, attribute, schema.id));
			for (const sub of attribute.subAttributes ?? []) {
				if (!sub || typeof sub.name !== 'string') continue;
				out.push(describe(`${path}.${sub.name}`, sub, schema.id, attribute));
			}
		}
	}
	return out;
}

function describe(
	path: string,
	attribute: ScimSchemaAttribute,
	schema: string,
	parent?: ScimSchemaAttribute,
): UserAttributeDescription {
	return {
		path,
		type: attribute.type ?? 'string',
		mutability: attribute.mutability ?? parent?.mutability ?? 'readWrite',
		multiValued: Boolean(attribute.multiValued ?? false) || Boolean(parent?.multiValued),
		description: attribute.description ?? '',
		required: Boolean(attribute.required),
		schema,
	};
}
