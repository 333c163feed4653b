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
	/** Which of `groups` a source value named (a group rule named by a field): the Sync adds these only into groups
	 * it owns. Absent: every name is a rule's literal. */
	fieldGroups?: string[];
	/** First working day, `YYYY-MM-DD` (pre-hires: not created / not activated before it). */
	startDate?: string | null;
	/** Leave date, `YYYY-MM-DD`: the Sync reports a person active in the source whose leave date is ahead. Never
	 * written to Plek (Plek has no such attribute); `active` alone decides the account's state. */
	leaveDate?: string | null;
	/** The manager's mapping key; the Sync writes the enterprise manager.value as that person's Plek id. */
	manager?: string;
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
	/** What was assumed because Plek did not advertise it (no discovery endpoint); shown in the Sync Summary. */
	assumed?: string[];
}

/** A write Plek refused, or whose outcome stayed unknown after the transport's retries and lookups. */
export interface WriteFailure {
	outcome: 'failed';
	status?: number;
	scimType?: string;
	/** What went wrong, redacted, naming the request. */
	detail: string;
	/** What to do, when the transport knows better than the status alone. */
	hint?: string;
}

/**
 * The typed outcome of a create: `alreadyExisted` when Plek already had the resource (a 409 resolved by lookup:
 * an overlapping run or an earlier attempt), `created` when this write made it (also after a lost response
 * that a lookup then found).
 */
export type CreateOutcome<T> = { outcome: 'created' | 'alreadyExisted'; resource: T } | WriteFailure;
/** An attribute of a PATCH that Plek refused (400 invalidPath / mutability / invalidValue for it alone) or
 * accepted without storing it (`dropped`); the rest of the change was applied. */
export interface AttributeRefusal {
	attribute: string;
	reason: 'refused' | 'dropped';
	status?: number;
	scimType?: string;
	detail: string;
}

export type UpdateOutcome = { outcome: 'updated'; resource?: ScimUser; notApplied?: AttributeRefusal[] } | WriteFailure;
export type WriteOutcome = CreateOutcome<ScimUser> | UpdateOutcome;

/** One user-level write for PlekDirectory.writeUsers. */
export type UserWrite =
	| { kind: 'create'; draft: ScimUserDraft }
	| { kind: 'patch'; userId: string; operations: PatchOperation[]; version?: string; current?: ScimUser };

export interface UserWriteOptions {
	/** Writes in flight at once (the transport's limiter may pace lower). Default 4. */
	concurrency?: number;
	/** Use SCIM Bulk when Plek advertises it. Default true. */
	bulk?: boolean;
	/** Most operations per Bulk request (also capped by Plek's maxOperations). Default 100. */
	bulkOperationsPerRequest?: number;
	/** Called once per write when its outcome is final. */
	onSettled?: (index: number, outcome: WriteOutcome) => void;
	/** Asked before each write (or Bulk request) starts: true stops sending; writes never sent are not settled
	 * (the executor's failure breaker). */
	shouldStop?: () => boolean;
}

/** Members to add to or remove from one group. */
export interface MembershipChange {
	groupId: string;
	kind: 'add' | 'remove';
	userIds: string[];
}

export interface MembershipOptions {
	/** Members per PATCH. Default 100. */
	membersPerRequest?: number;
	/** Called after each chunk of the change with its members' outcomes. */
	onRequest?: (outcomes: readonly UpdateOutcome[]) => void;
	/** Asked before each chunk: true stops; the members of chunks never sent get no outcome. */
	shouldStop?: () => boolean;
}

/**
 * A planned create that met an account the listing did not show (a 409, or a lookup made before the create):
 * evidence that the listing was incomplete. The Sync re-checks these keys against a fresh listing.
 */
export interface CreateConflict {
	/** The record's key (the draft's externalId). */
	key: string;
	/** The account found by lookup: it carries the key (`externalId`) or the record's userName (`userName`). */
	holder: ScimUser;
	by: 'externalId' | 'userName';
}

/**
 * Everything the executor needs from Plek. The transport implements it: it paces, retries, chunks (Bulk and
 * membership requests) and resolves unknown outcomes (409 on create, lost responses) itself, and hands back a
 * typed outcome per write; it throws only from the reads.
 */
export interface PlekDirectory {
	capabilities(): Promise<PlekCapabilities>;
	listUsers(): Promise<ScimUser[]>;
	/** Groups with their members. */
	listGroups(): Promise<ScimGroup[]>;
	findUserByExternalId(externalId: string): Promise<ScimUser | undefined>;
	findUserByUserName(userName: string): Promise<ScimUser | undefined>;
	/** User creates and PATCHes: all PATCHes first, then the creates; outcomes in the order of `writes`. */
	writeUsers(writes: readonly UserWrite[], options?: UserWriteOptions): Promise<WriteOutcome[]>;
	/** Creates a group (with `externalId` when given: the Sync marks the groups it creates); one that exists already
	 * (409) is found by name and returned as `alreadyExisted`. */
	ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>>;
	/** A membership change in chunks, one after another; a refused chunk is retried member by member, so one
	 * refused member fails alone. Outcomes in the order of `change.userIds`. */
	changeMembers(change: MembershipChange, options?: MembershipOptions): Promise<UpdateOutcome[]>;
	/** Number of HTTP requests made so far (for the run summary). */
	requestCount(): number;
	/** The create conflicts met since the last call (and forgets them); see CreateConflict. */
	takeCreateConflicts?(): CreateConflict[];
}
