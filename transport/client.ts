// PlekScimClient: the transport as nodes and scripts hold it, made of three parts that each stand alone:
//   sender.ts     HTTP through the gate: authentication, redaction, pacing, retries (retry.ts: the one policy)
//   scimApi.ts    Plek's SCIM API: paths, discovery, paging, lookups, single-request writes, Bulk
//   directory.ts  the per-run PlekDirectory: typed writes and what the run learns (dialect, refusals, conflicts)
// It adds the throwing single writes the Plek node uses, and forwards the rest.
import type {
	BulkOperation,
	BulkOperationResult,
	CreateConflict,
	CreateOutcome,
	MembershipChange,
	MembershipOptions,
	PatchOperation,
	PlekCapabilities,
	PlekDirectory,
	ScimGroup,
	ScimUser,
	ScimUserDraft,
	UpdateOutcome,
	UserWrite,
	UserWriteOptions,
	WriteFailure,
	WriteOutcome,
} from '../core/types';
import { RunDirectory } from './directory';
import { PlekApiError, redact } from './errors';
import type { PlekHttp, PlekHttpMethod } from './http';
import type { PacingTuning, SleepFn } from './limiter';
import { groupPath } from './paths';
import { RetryPolicy } from './retry';
import { ScimApi } from './scimApi';
import type { ScimListResponse } from './scimApi';
import type { ScimSchema } from './schemas';
import { ScimSender } from './sender';
import { errorOfFailure } from './writes';

// Every URN is defined once (transport/schemas.ts, core/scimPath.ts); these re-exports keep the client's names.
export { BULK_REQUEST_SCHEMA, LIST_RESPONSE_SCHEMA, PATCH_OP_SCHEMA } from './schemas';
export { DEFAULT_RATE_LIMIT_BUDGET_MS, RETRYABLE_STATUSES } from './retry';
export type { ScimListResponse } from './scimApi';

export interface PlekScimClientOptions {
	/** Absolute SCIM base URL, e.g. https://acme.plek.co/scim/v2 */
	scimBaseUrl: string;
	/** Requests in flight at once. Default 4. */
	concurrency?: number;
	/** Cap on requests started per second; 0 = no cap (default). */
	requestsPerSecond?: number;
	/** Attempts per request including the first, for 5xx and network errors. Default 5. (429 is not counted: it is
	 * retried until rateLimitBudgetMs is spent.) */
	maxAttempts?: number;
	/** How long one request keeps being retried while Plek answers 429 before it is reported. Default 10 minutes. */
	rateLimitBudgetMs?: number;
	/** Tuning of the adaptive pace (tests, benchmarks). */
	pacing?: Partial<PacingTuning>;
	/** Backoff base. Default 500 ms. */
	baseDelayMs?: number;
	/** Backoff ceiling. Default 30 s. */
	maxDelayMs?: number;
	/** Longest Retry-After honoured. Default 60 s. */
	maxRetryAfterMs?: number;
	/** Users per page when listing. Default the server's filter.maxResults, else 1000 (the server may serve fewer). */
	pageSize?: number;
	/** Members per group PATCH. Default 100. */
	membersPerPatch?: number;
	sleep?: SleepFn;
	random?: () => number;
	now?: () => number;
	/** Secret strings to redact from any error text (client secret, tokens). */
	secrets?: string[];
	/**
	 * /ServiceProviderConfig as an earlier run read it (`null`: that run found none), so a scheduled sync does
	 * not read it again; see discoveredConfig().
	 */
	serviceProviderConfig?: Record<string, unknown> | null;
}

/** SCIM 2.0 client for Plek: discovery, users, groups, bulk; paced, retried, and free of secrets in errors. */
export class PlekScimClient implements PlekDirectory {
	readonly sender: ScimSender;
	readonly api: ScimApi;
	/** The run this client serves (a node builds one client per execution). */
	readonly directory: RunDirectory;

	constructor(http: PlekHttp, options: PlekScimClientOptions) {
		if (!options?.scimBaseUrl) throw new Error('PlekScimClient needs options.scimBaseUrl');
		const retry = new RetryPolicy(options, { sleep: options.sleep, random: options.random, now: options.now });
		this.sender = new ScimSender(http, retry, options);
		this.api = new ScimApi(this.sender, options);
		this.directory = new RunDirectory(this.api, options);
	}

	/** HTTP requests made so far, retries included. */
	requestCount(): number {
		return this.sender.requestCount();
	}

	/** The SCIM base URL (no trailing slash): the key for caching what this server advertises. */
	get scimBaseUrl(): string {
		return this.sender.baseUrl;
	}

	// ---------------------------------------------------------------- discovery and reads (scimApi.ts)

	async getServiceProviderConfig(): Promise<Record<string, unknown> | null> {
		return await this.api.getServiceProviderConfig();
	}

	/** What this client knows of /ServiceProviderConfig (to cache across runs); undefined if never read. */
	async discoveredConfig(): Promise<Record<string, unknown> | null | undefined> {
		return await this.api.discoveredConfig();
	}

	async capabilities(): Promise<PlekCapabilities> {
		return await this.api.capabilities();
	}

	async getSchemas(): Promise<ScimSchema[]> {
		return await this.api.getSchemas();
	}

	async getResourceTypes(): Promise<Array<Record<string, unknown>>> {
		return await this.api.getResourceTypes();
	}

	/** One page of users (SCIM startIndex is 1-based). */
	async listUsersPage(startIndex: number, count: number, filter?: string): Promise<ScimListResponse<ScimUser>> {
		return await this.api.listPage<ScimUser>('/Users', startIndex, count, filter);
	}

	async listUsers(): Promise<ScimUser[]> {
		return await this.directory.listUsers();
	}

	/** Groups with their members. */
	async listGroups(): Promise<ScimGroup[]> {
		return await this.directory.listGroups();
	}

	/** Users matching a SCIM filter (build it with filterEq / scimFilterValue), up to `limit`, read to the end. */
	async searchUsers(filter: string, limit?: number): Promise<ScimUser[]> {
		return await this.api.listAll<ScimUser>('/Users', filter, limit);
	}

	/** The first `limit` groups (with members), asked with SCIM `count` so the server sends no more than that. */
	async listGroupsUpTo(limit: number): Promise<ScimGroup[]> {
		return await this.api.listAll<ScimGroup>('/Groups', undefined, limit);
	}

	async getUser(id: string): Promise<ScimUser | undefined> {
		return await this.api.getUser(id);
	}

	async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
		return await this.api.findUserByExternalId(externalId);
	}

	async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
		return await this.api.findUserByUserName(userName);
	}

	async findGroupByName(displayName: string): Promise<ScimGroup | undefined> {
		return await this.api.findGroupByName(displayName);
	}

	// ---------------------------------------------------------------- typed writes (directory.ts)

	async writeUsers(writes: readonly UserWrite[], options?: UserWriteOptions): Promise<WriteOutcome[]> {
		return await this.directory.writeUsers(writes, options);
	}

	takeCreateConflicts(): CreateConflict[] {
		return this.directory.takeCreateConflicts();
	}

	async ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>> {
		return await this.directory.ensureGroup(displayName, externalId);
	}

	async changeMembers(change: MembershipChange, options?: MembershipOptions): Promise<UpdateOutcome[]> {
		return await this.directory.changeMembers(change, options);
	}

	// ---------------------------------------------------------------- throwing single writes (the Plek node)

	/**
	 * POST /Users. A 409 resolves by looking the user up by externalId (then userName) and returning it when it is
	 * the same person. A network error or 5xx (the create may have been applied) is followed by a lookup before the
	 * next attempt, so a lost response never creates a duplicate. Throws when the create failed.
	 */
	async createUser(user: ScimUserDraft): Promise<ScimUser> {
		const outcome = await this.directory.createUser(user);
		if (outcome.outcome === 'failed') throw this.toError(outcome, 'POST', '/Users');
		return outcome.resource;
	}

	/**
	 * PATCH /Users/{id} with a PatchOp. With a version it sends If-Match; a 412 refetches the user and retries once
	 * with the current version (the operations are absolute values, so re-applying them is safe).
	 */
	async patchUser(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser> {
		return await this.api.patchUser(id, operations, version);
	}

	/** POST /Groups. A 409 or a lost answer resolves by looking the group up by displayName. */
	async createGroup(displayName: string): Promise<ScimGroup> {
		const outcome = await this.directory.ensureGroup(displayName);
		if (outcome.outcome === 'failed') throw this.toError(outcome, 'POST', '/Groups');
		return outcome.resource;
	}

	/** PATCH add `members` with [{value}], in chunks; throws the first refusal (the other members are added). */
	async addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		await this.changeMembersOrThrow({ groupId, kind: 'add', userIds });
	}

	/** PATCH remove with path `members[value eq "id"]`, one operation per member, in chunks. */
	async removeGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		await this.changeMembersOrThrow({ groupId, kind: 'remove', userIds });
	}

	/**
	 * SCIM Bulk, split into requests within the server's maxOperations and maxPayloadSize. `bulkId:` references to
	 * resources created by an earlier request are replaced by their ids. A request containing a POST is not
	 * re-sent after a 5xx or network error (it may have been applied); only 429 is retried for it.
	 */
	async bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		return await this.api.bulkInRequests(operations);
	}

	private async changeMembersOrThrow(change: MembershipChange): Promise<void> {
		const outcomes = await this.directory.changeMembers(change);
		const failed = outcomes.find((o): o is WriteFailure => o.outcome === 'failed');
		if (failed) throw this.toError(failed, 'PATCH', groupPath(change.groupId));
	}

	/** A failed outcome as the error it came from (or one built from it). */
	private toError(failure: WriteFailure, method: PlekHttpMethod, path: string): unknown {
		const error = errorOfFailure(failure);
		if (error && failure.status !== 409) return error;
		return new PlekApiError(redact(failure.detail, this.sender.secrets), {
			status: failure.status,
			scimType: failure.scimType,
			method,
			path,
			hint: failure.hint,
		});
	}
}
