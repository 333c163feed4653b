// Shared contracts between the layers. Core code (mapping, planner, executor) depends only on this file;
// the transport implements PlekDirectory; the n8n nodes glue them together.

/** A value a Plek profile field can hold. Complex SCIM values are addressed by path, so values stay scalar. */
export type ProfileValue = string | number | boolean | null;

/**
 * The Plek user record: the Mapper's output and the Sync node's input (docs/plek-user-record.schema.json).
 * Profile keys are SCIM attribute paths, e.g. `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
 */
export interface PlekUserRecord {
	/** The mapping key; becomes SCIM externalId. Unique and never changes for a person. */
	key: string;
	userName?: string;
	active: boolean;
	profile: Record<string, ProfileValue>;
	/** Profile paths applied only when the user is created. */
	createOnly?: string[];
	/** Groups (displayName) the group rules put this person in. */
	groups?: string[];
}

export interface ScimMeta {
	resourceType?: string;
	created?: string;
	lastModified?: string;
	location?: string;
	version?: string;
}

export interface ScimUser {
	schemas?: string[];
	id: string;
	externalId?: string;
	userName: string;
	active?: boolean;
	meta?: ScimMeta;
	[attribute: string]: unknown;
}

/** A user resource as sent on create (no id or meta yet). */
export interface ScimUserDraft {
	schemas?: string[];
	externalId?: string;
	userName: string;
	active?: boolean;
	id?: never;
	meta?: never;
	[attribute: string]: unknown;
}

export interface ScimGroupMember {
	value: string;
	display?: string;
	$ref?: string;
	type?: string;
}

export interface ScimGroup {
	schemas?: string[];
	id: string;
	displayName: string;
	externalId?: string;
	members?: ScimGroupMember[];
	meta?: ScimMeta;
}

/** RFC 7644 section 3.5.2 PATCH operation. */
export interface PatchOperation {
	op: 'add' | 'replace' | 'remove';
	path?: string;
	value?: unknown;
}

/** RFC 7644 section 3.7 bulk operation and its result. */
export interface BulkOperation {
	method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
	path: string;
	bulkId?: string;
	version?: string;
	data?: unknown;
}

export interface BulkOperationResult {
	method: string;
	bulkId?: string;
	location?: string;
	version?: string;
	status: string;
	response?: unknown;
}

/** What the server advertises at /ServiceProviderConfig, reduced to what the client acts on. */
export interface PlekCapabilities {
	patch: boolean;
	bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
	filter: { supported: boolean; maxResults: number };
	etag: boolean;
}

/**
 * Everything the executor needs from Plek. The transport's SCIM client implements it; tests may use the
 * sandbox through the same client. Implementations retry transient faults themselves and throw only
 * final errors (an Error with an optional numeric `status`).
 */
export interface PlekDirectory {
	capabilities(): Promise<PlekCapabilities>;
	listUsers(): Promise<ScimUser[]>;
	/** Groups with their members. */
	listGroups(): Promise<ScimGroup[]>;
	findUserByExternalId(externalId: string): Promise<ScimUser | undefined>;
	findUserByUserName(userName: string): Promise<ScimUser | undefined>;
	/** Creates a user. A 409 or a lost response resolves by looking the user up, never by a second create. */
	createUser(user: ScimUserDraft): Promise<ScimUser>;
	patchUser(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser>;
	createGroup(displayName: string): Promise<ScimGroup>;
	addGroupMembers(groupId: string, userIds: string[]): Promise<void>;
	removeGroupMembers(groupId: string, userIds: string[]): Promise<void>;
	/** SCIM Bulk; only called when capabilities().bulk.supported. */
	bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]>;
	/** Number of HTTP requests made so far (for the run summary). */
	requestCount(): number;
}
