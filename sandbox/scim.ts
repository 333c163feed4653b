/**
 * scimmy wiring. scimmy keeps its resource declarations, handlers and service provider config in process-wide
 * singletons, so they are declared once here and every handler finds the right sandbox's store through the
 * per-request context (several sandboxes can run in one test process).
 */
import SCIMMY from 'scimmy';

import { EqualityFilter } from './filter';
import type { SandboxOptions } from './options';
import { ResourceKind, ScimResource, ScimStore } from './store';

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PLEK_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:plek:2.0:User';

/** What the sandbox hands scimmy's handlers for one request. */
export interface ScimContext {
	store: ScimStore;
	/** `attr eq "value"` filters are parsed by the sandbox (see filter.ts) and arrive here instead. */
	equalityFilter?: EqualityFilter;
	/** The real startIndex of a list request; scimmy is told 1 (see `page`). */
	startIndex?: number;
	/** Called with every stored write (Bulk uses it to cache renderings no response carries). */
	afterWrite?: (kind: ResourceKind, resource: ScimResource) => void;
}

/** An example of a Plek custom profile-field extension: a few strings and one date (which clients refuse). */
const plekUserExtension = new SCIMMY.Types.SchemaDefinition('PlekUser', PLEK_USER_SCHEMA, 'Plek custom profile fields', [
	new SCIMMY.Types.Attribute('string', 'location', { description: 'Office or site the person works at.' }),
	new SCIMMY.Types.Attribute('string', 'costCenter', { description: 'Cost center code.' }),
	new SCIMMY.Types.Attribute('string', 'employeeNumber', { description: 'Employee number in the HR system.' }),
	new SCIMMY.Types.Attribute('dateTime', 'birthDate', { description: 'Date of birth (Plek does not sync dates).' }),
]);

let declared = false;

/** Declares Users and Groups (with the enterprise and Plek extensions) to scimmy, once per process. */
export function declareScimResources(): void {
	if (declared) return;
	declared = true;
	const { User, Group } = SCIMMY.Resources;
	SCIMMY.Resources.declare(User, {
		ingress: (resource: any, instance: any, ctx: ScimContext) => write('User', resource, instance, ctx),
		egress: (resource: any, ctx: ScimContext) => read('User', resource, ctx),
		degress: (resource: any, ctx: ScimContext) => ctx.store.remove('User', resource.id),
	});
	User.extend(SCIMMY.Schemas.EnterpriseUser, false);
	// scimmy accepts a SchemaDefinition here at run time; its typings only mention Schema classes.
	User.extend(plekUserExtension as any, false);
	SCIMMY.Resources.declare(Group, {
		ingress: (resource: any, instance: any, ctx: ScimContext) => write('Group', resource, instance, ctx),
		egress: (resource: any, ctx: ScimContext) => read('Group', resource, ctx),
		degress: (resource: any, ctx: ScimContext) => ctx.store.remove('Group', resource.id),
	});
}

/** The service provider configuration one sandbox advertises (set before each SCIM request, see server.ts). */
export function serviceProviderConfig(options: SandboxOptions) {
	return {
		documentationUri: 'https://www.plek.co',
		patch: { supported: true },
		bulk: { supported: options.bulk, maxOperations: options.maxOperations, maxPayloadSize: options.maxPayloadSize },
		filter: { supported: true, maxResults: options.maxResults },
		changePassword: { supported: false },
		sort: { supported: false },
		etag: { supported: true },
	};
}

function read(kind: ResourceKind, resource: any, ctx: ScimContext) {
	const { store } = ctx;
	if (resource.id) {
		const found = store.get(kind, resource.id);
		if (!found) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${resource.id} not found`);
		return found;
	}
	const matches = ctx.equalityFilter
		? store.findEqual(kind, ctx.equalityFilter)
		: resource.filter
			? resource.filter.match(store.list(kind))
			: store.list(kind);
	return page(resource, matches, ctx);
}

/**
 * Returns only the requested page. scimmy would coerce every match into a schema instance before slicing
 * (seconds for 10,000 users), and its ListResponse re-slices a pre-sliced page when the page is at least
 * startIndex long. So scimmy is told startIndex 1 and the real totalResults, and server.ts writes the real
 * startIndex back into the response body.
 */
function page(resource: any, matches: any[], ctx: ScimContext) {
	const constraints = (resource.constraints ??= {});
	const startIndex = Math.max(1, Number(constraints.startIndex) || 1);
	const count = Math.max(0, Number.isInteger(constraints.count) ? constraints.count : 20);
	ctx.startIndex = startIndex;
	constraints.startIndex = 1;
	constraints.totalResults = matches.length;
	return matches.slice(startIndex - 1, startIndex - 1 + count);
}

function write(kind: ResourceKind, resource: any, instance: any, ctx: ScimContext) {
	const data = JSON.parse(JSON.stringify(instance));
	if (kind === 'Group' && Array.isArray(data.members)) {
		checkMembers(ctx.store, data.members);
		data.members = uniqueMembers(data.members);
	}
	const stored = resource.id ? ctx.store.update(kind, resource.id, data) : ctx.store.create(kind, data);
	ctx.afterWrite?.(kind, stored);
	return stored;
}

/** Adding someone who is already a member is a no-op (scimmy's PatchOp would append a second entry). */
function uniqueMembers(members: Array<{ value: string }>): Array<{ value: string }> {
	const seen = new Set<string>();
	return members.filter((member) => !seen.has(member.value) && seen.add(member.value));
}

/** Plek groups hold users only; a member id that is no user is a client bug worth a clear 400. */
function checkMembers(store: ScimStore, members: unknown[]): void {
	for (const member of members) {
		const id = (member as { value?: unknown })?.value;
		if (typeof id !== 'string' || !store.get('User', id)) {
			throw new SCIMMY.Types.Error(400, 'invalidValue', `Group member ${JSON.stringify(id)} is not a known user id`);
		}
	}
}
