import type {
	AttributeRefusal,
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
import {
	PlekApiError,
	isRetryableNetworkError,
	plekErrorFromNetwork,
	plekErrorFromResponse,
	redact,
} from './errors';
import { PlekAuthError } from './auth';
import { ScimWriter, errorOfFailure } from './writes';
import type { ScimWritePrimitives } from './writes';
import { filterEq, scimFilterValue } from './filter';
import { readToTheEnd } from './paging';
import type { PlekHttp, PlekHttpMethod, PlekHttpResponse } from './http';
import { Limiter, backoffDelay, defaultSleep, parseRetryAfter } from './limiter';
import type { PacingTuning, SleepFn } from './limiter';
import { BULK_REQUEST_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './schemas';
import { PATCH_OP_SCHEMA } from '../core/scimPath';
import type { ScimSchema } from './schemas';

// One definition of each SCIM URN: the PatchOp's is core's (core/scimPath.ts builds the operations), the others are
// in schemas.ts.
export { PATCH_OP_SCHEMA } from '../core/scimPath';
export { BULK_REQUEST_SCHEMA, LIST_RESPONSE_SCHEMA } from './schemas';

/** Resources asked for by a lookup on a unique attribute. */
const LOOKUP_COUNT = 10;

/** Page size asked for when neither the options nor the server's filter.maxResults give one. */
const DEFAULT_LARGE_PAGE = 1000;

/** How long one request is retried while Plek answers 429, unless configured. */
export const DEFAULT_RATE_LIMIT_BUDGET_MS = 10 * 60_000;

/** Statuses retried with backoff (429 additionally honours Retry-After). */
export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

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

/** Statuses that mean "this server does not offer that discovery endpoint" (SCIM makes discovery optional). */
const NOT_ADVERTISED = new Set([404, 405, 501]);

export interface ScimListResponse<T> {
	totalResults: number;
	startIndex: number;
	itemsPerPage: number;
	Resources: T[];
}

interface Sent extends PlekHttpResponse {
	attempts: number;
	method: PlekHttpMethod;
	url: string;
}

interface SendOptions {
	qs?: Record<string, string | number | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	/** Retry 5xx and network errors. Default: every method but POST. 429 is always retried (nothing was applied). */
	idempotent?: boolean;
}

function parseJson(body: unknown): unknown {
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return JSON.parse(trimmed);
			} catch {
				return body;
			}
		}
		return trimmed ? body : undefined;
	}
	return body;
}

function isOk(status: number): boolean {
	return status >= 200 && status < 300;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** SCIM 2.0 client for Plek: discovery, users, groups, bulk; paced, retried, and free of secrets in errors. */
export class PlekScimClient implements PlekDirectory {
	private readonly base: string;
	private readonly limiter: Limiter;
	private readonly maxAttempts: number;
	private readonly baseDelayMs: number;
	private readonly maxDelayMs: number;
	private readonly maxRetryAfterMs: number;
	private readonly rateLimitBudgetMs: number;
	private readonly sleepFn: SleepFn;
	private readonly random: () => number;
	private readonly now: () => number;
	private readonly secrets: string[];
	private readonly membersPerPatch: number;
	private readonly concurrency: number;
	private requests = 0;
	private readonly writer: ScimWriter;
	private capabilitiesPromise?: Promise<PlekCapabilities>;
	private serviceProviderConfigPromise?: Promise<Record<string, unknown> | null>;

	constructor(
		private readonly http: PlekHttp,
		private readonly options: PlekScimClientOptions,
	) {
		if (!options?.scimBaseUrl) throw new Error('PlekScimClient needs options.scimBaseUrl');
		this.base = options.scimBaseUrl.replace(/\/+$/, '');
		this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
		this.baseDelayMs = options.baseDelayMs ?? 500;
		this.maxDelayMs = options.maxDelayMs ?? 30_000;
		this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
		this.rateLimitBudgetMs = Math.max(0, options.rateLimitBudgetMs ?? DEFAULT_RATE_LIMIT_BUDGET_MS);
		this.sleepFn = options.sleep ?? defaultSleep;
		this.random = options.random ?? Math.random;
		this.now = options.now ?? Date.now;
		this.secrets = options.secrets ?? [];
		this.membersPerPatch = Math.max(1, options.membersPerPatch ?? 100);
		this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
		this.limiter = new Limiter(
			this.concurrency,
			Math.max(0, options.requestsPerSecond ?? 0),
			this.sleepFn,
			this.now,
			this.random,
			options.pacing,
		);
		this.writer = new ScimWriter(this.primitives(), {
			maxCreateAttempts: this.maxAttempts,
			pause: async (attempt) => await this.sleepFn(this.backoff(attempt)),
		});
	}

	/** HTTP requests made so far, retries included. */
	requestCount(): number {
		return this.requests;
	}

	// ---------------------------------------------------------------- sending

	private backoff(attempt: number): number {
		return backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random);
	}

	/**
	 * Sends one logical request through the shared gate (see Limiter). 429 pauses and slows the whole client and is
	 * retried until rateLimitBudgetMs is spent (nothing was applied, so this is safe for any method); idempotent
	 * requests also retry 5xx and network errors with exponential backoff and full jitter, up to maxAttempts.
	 * Returns the final response (any status); throws PlekApiError when a network error is final.
	 */
	private async send(method: PlekHttpMethod, path: string, options: SendOptions = {}): Promise<Sent> {
		const url = `${this.base}${path}`;
		const idempotent = options.idempotent ?? method !== 'POST';
		let rateLimitedSince: number | undefined;
		let rateLimited = 0;
		for (let attempt = 1; ; ) {
			const sentAt = await this.limiter.acquire();
			const { response, failure } = await this.sendOnce(method, url, options);
			if (!response) {
				// A credential problem (wrong secret, unreachable token endpoint) is final and already explained.
				if (failure instanceof PlekAuthError || failure instanceof PlekApiError) throw failure;
				if (!idempotent || !isRetryableNetworkError(failure) || attempt >= this.maxAttempts) {
					throw plekErrorFromNetwork(method, url, failure, { attempts: attempt + rateLimited, secrets: this.secrets });
				}
				await this.sleepFn(this.backoff(attempt++));
				continue;
			}
			const status = response.status;
			const retryAfter =
				status === 429 || status === 503
					? parseRetryAfter(response.headers['retry-after'], this.now(), this.maxRetryAfterMs)
					: undefined;
			if (status === 429) {
				rateLimitedSince ??= this.now();
				if (this.now() - rateLimitedSince < this.rateLimitBudgetMs) {
					rateLimited++;
					this.limiter.rateLimited(retryAfter ?? this.backoff(rateLimited), sentAt);
					continue;
				}
			} else {
				this.limiter.recordAccepted();
			}
			const retryable = status !== 429 && idempotent && RETRYABLE_STATUSES.has(status);
			if (!retryable || attempt >= this.maxAttempts) {
				return { ...response, body: parseJson(response.body), attempts: attempt + rateLimited, method, url };
			}
			await this.sleepFn(retryAfter ?? this.backoff(attempt++));
		}
	}

	/** One HTTP exchange while holding a slot of the gate. */
	private async sendOnce(
		method: PlekHttpMethod,
		url: string,
		options: SendOptions,
	): Promise<{ response?: PlekHttpResponse; failure?: unknown }> {
		try {
			this.requests++;
			const response = await this.http.request({ method, url, qs: options.qs, body: options.body, headers: options.headers });
			return { response };
		} catch (error) {
			return { failure: error };
		} finally {
			this.limiter.release();
		}
	}

	private fail(sent: Sent): PlekApiError {
		return plekErrorFromResponse(sent.method, sent.url, sent.status, sent.body, {
			attempts: sent.attempts,
			secrets: this.secrets,
		});
	}

	private expectOk(sent: Sent): unknown {
		if (!isOk(sent.status)) throw this.fail(sent);
		return sent.body;
	}

	// ---------------------------------------------------------------- discovery

	/**
	 * /ServiceProviderConfig, read once per client. `null` when the server has none (404 / 405 / 501): many SCIM
	 * servers offer no discovery, and capabilities() then assumes conservatively.
	 */
	async getServiceProviderConfig(): Promise<Record<string, unknown> | null> {
		if (this.options.serviceProviderConfig !== undefined) return this.options.serviceProviderConfig;
		if (!this.serviceProviderConfigPromise) {
			this.serviceProviderConfigPromise = this.send('GET', '/ServiceProviderConfig').then((sent) =>
				NOT_ADVERTISED.has(sent.status) ? null : ((this.expectOk(sent) ?? {}) as Record<string, unknown>),
			);
			this.serviceProviderConfigPromise.catch(() => {
				this.serviceProviderConfigPromise = undefined;
			});
		}
		return await this.serviceProviderConfigPromise;
	}

	/** The SCIM base URL (no trailing slash): the key for caching what this server advertises. */
	get scimBaseUrl(): string {
		return this.base;
	}

	/** What this client knows of /ServiceProviderConfig (to cache across runs); undefined if never read. */
	async discoveredConfig(): Promise<Record<string, unknown> | null | undefined> {
		if (this.options.serviceProviderConfig !== undefined) return this.options.serviceProviderConfig;
		return this.serviceProviderConfigPromise ? await this.serviceProviderConfigPromise.catch(() => undefined) : undefined;
	}

	/** Read once from /ServiceProviderConfig and cached; without one: no Bulk, no ETags, paging by itemsPerPage. */
	async capabilities(): Promise<PlekCapabilities> {
		if (!this.capabilitiesPromise) {
			this.capabilitiesPromise = this.getServiceProviderConfig().then(capabilitiesFrom);
			this.capabilitiesPromise.catch(() => {
				this.capabilitiesPromise = undefined;
			});
		}
		return await this.capabilitiesPromise;
	}

	/** SCIM schema resources from /Schemas; empty when the server does not advertise them (schema checks off). */
	async getSchemas(): Promise<ScimSchema[]> {
		return (await this.listDiscovery('/Schemas')) as unknown as ScimSchema[];
	}

	/** Resource types from /ResourceTypes (which schema extensions belong to User); empty when not advertised. */
	async getResourceTypes(): Promise<Array<Record<string, unknown>>> {
		return await this.listDiscovery('/ResourceTypes');
	}

	private async listDiscovery(path: '/Schemas' | '/ResourceTypes'): Promise<Array<Record<string, unknown>>> {
		const sent = await this.send('GET', path);
		if (NOT_ADVERTISED.has(sent.status)) return [];
		const body = this.expectOk(sent);
		if (Array.isArray(body)) return body as Array<Record<string, unknown>>;
		const resources = (body as { Resources?: unknown } | undefined)?.Resources;
		return Array.isArray(resources) ? (resources as Array<Record<string, unknown>>) : [];
	}

	// ---------------------------------------------------------------- listing

	/** The configured page size, else the server's filter.maxResults, else a large count (the server's own
	 * page size then shows in the first page). */
	private async pageSize(): Promise<number> {
		if (this.options.pageSize && this.options.pageSize > 0) return Math.floor(this.options.pageSize);
		const caps = await this.capabilities();
		return caps.filter.maxResults > 0 ? caps.filter.maxResults : DEFAULT_LARGE_PAGE;
	}

	/** One page, checked: not a ListResponse (truncated or invalid JSON, no Resources) fails closed naming the page. */
	private async listPage<T>(
		resource: '/Users' | '/Groups',
		startIndex: number,
		count: number,
		filter?: string,
	): Promise<ScimListResponse<T> & { reportedTotal?: number }> {
		const sent = await this.send('GET', resource, { qs: { startIndex, count, filter: filter || undefined } });
		const body = this.expectOk(sent) as Partial<ScimListResponse<T>> | string | undefined;
		const list = body && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
		const total = typeof list?.totalResults === 'number' ? list.totalResults : undefined;
		const resources = Array.isArray(list?.Resources) ? list.Resources : list && total === 0 && list.Resources === undefined ? [] : undefined;
		if (!resources) {
			throw new PlekApiError(
				`Plek answered GET ${resource} (startIndex ${startIndex}, count ${count}) with something that is not a SCIM list (${
					typeof body === 'string' ? 'invalid or truncated JSON' : 'no Resources array'
				}); nothing was written`,
				{ status: sent.status, method: 'GET', path: resource, hint: 'Run again later; if it persists, report the page to Plek support.' },
			);
		}
		if (total !== undefined && resources.length > total) {
			// A server that under-reports totalResults would end the listing early: users it did not list look
			// missing (creates that collide, leavers never deactivated). Refuse the list instead.
			throw new PlekApiError(
				`Plek answered GET ${resource} (startIndex ${startIndex}, count ${count}) with ${resources.length} resources but totalResults ${total}; a list that under-reports its size cannot be trusted, nothing was written`,
				{ status: sent.status, method: 'GET', path: resource, hint: 'Report the page to Plek support; the sync refuses to act on a list it cannot trust.' },
			);
		}
		return {
			totalResults: total ?? resources.length,
			reportedTotal: total,
			startIndex: typeof list?.startIndex === 'number' ? list.startIndex : startIndex,
			itemsPerPage: typeof list?.itemsPerPage === 'number' ? list.itemsPerPage : resources.length,
			Resources: resources,
		};
	}

	/** One page of users (SCIM startIndex is 1-based). */
	async listUsersPage(startIndex: number, count: number, filter?: string): Promise<ScimListResponse<ScimUser>> {
		return await this.listPage<ScimUser>('/Users', startIndex, count, filter);
	}

	/**
	 * Every resource, read to the end (see paging.ts: an empty page, or a totalResults the server shows it can be
	 * trusted with). A malformed page, a resource without an id, an id listed twice or pages that contradict each
	 * other fail the run before anything is written.
	 */
	private async listAll<T extends { id: string }>(resource: '/Users' | '/Groups', filter?: string, limit?: number): Promise<T[]> {
		const seen = new Map<string, number>();
		const out: T[] = [];
		await readToTheEnd<T>({
			fetchPage: async (start, count) => {
				const page = await this.listPage<T>(resource, start, count, filter);
				return { resources: page.Resources, total: page.reportedTotal };
			},
			pageSize: await this.pageSize(),
			concurrency: this.concurrency,
			limit,
			take: (items, start) => {
				for (const item of items) this.acceptListed(resource, item, start, seen, out);
			},
			fail: (message) =>
				new PlekApiError(`${message} (GET ${resource}); nothing was written`, {
					method: 'GET',
					path: resource,
					hint: 'The list changed while it was read, or Plek pages inconsistently: report it to Plek support; the sync refuses to act on a list it cannot trust.',
				}),
		});
		return out;
	}

	private acceptListed<T extends { id: string }>(resource: string, item: T, start: number, seen: Map<string, number>, out: T[]): void {
		const id = (item as { id?: unknown } | null)?.id;
		const what = resource === '/Users' ? 'user' : 'group';
		if (typeof id !== 'string' || id === '') {
			throw new PlekApiError(`Plek listed a ${what} without an id in GET ${resource} (page at startIndex ${start}); nothing was written`, {
				method: 'GET',
				path: resource,
				hint: 'Report the page to Plek support; the sync refuses to act on a list it cannot trust.',
			});
		}
		const earlier = seen.get(id);
		if (earlier !== undefined) {
			throw new PlekApiError(
				`Plek listed ${what} id ${JSON.stringify(id)} twice in GET ${resource} (pages at startIndex ${earlier} and ${start}); nothing was written`,
				{
					method: 'GET',
					path: resource,
					hint: 'The list changed while it was read, or Plek pages inconsistently: run again; if it persists, report it to Plek support.',
				},
			);
		}
		seen.set(id, start);
		out.push(item);
	}

	async listUsers(): Promise<ScimUser[]> {
		return await this.listAll<ScimUser>('/Users');
	}

	/** Groups with their members. */
	async listGroups(): Promise<ScimGroup[]> {
		return await this.listAll<ScimGroup>('/Groups');
	}

	/** Users matching a SCIM filter (build it with filterEq / scimFilterValue), up to `limit`, read to the end. */
	async searchUsers(filter: string, limit?: number): Promise<ScimUser[]> {
		return await this.listAll<ScimUser>('/Users', filter, limit);
	}

	/** The first `limit` groups (with members), asked with SCIM `count` so the server sends no more than that. */
	async listGroupsUpTo(limit: number): Promise<ScimGroup[]> {
		return await this.listAll<ScimGroup>('/Groups', undefined, limit);
	}

	/** A lookup by a unique attribute: one page answers it (a second page is never needed to know who holds it). */
	private async lookupUsers(filter: string): Promise<ScimUser[]> {
		const count = Math.min(LOOKUP_COUNT, await this.pageSize());
		return (await this.listPage<ScimUser>('/Users', 1, count, filter)).Resources;
	}

	async getUser(id: string): Promise<ScimUser | undefined> {
		const sent = await this.send('GET', `/Users/${encodeURIComponent(id)}`);
		if (sent.status === 404) return undefined;
		return this.expectOk(sent) as ScimUser;
	}

	async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
		const found = await this.lookupUsers(filterEq('externalId', externalId));
		return found.find((user) => user.externalId === externalId);
	}

	async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
		const found = await this.lookupUsers(filterEq('userName', userName));
		return (
			found.find((user) => user.userName === userName) ??
			found.find((user) => typeof user.userName === 'string' && user.userName.toLowerCase() === userName.toLowerCase())
		);
	}

	async findGroupByName(displayName: string): Promise<ScimGroup | undefined> {
		const body = this.expectOk(
			await this.send('GET', '/Groups', { qs: { filter: filterEq('displayName', displayName), count: 10 } }),
		) as { Resources?: ScimGroup[] } | undefined;
		const groups = Array.isArray(body?.Resources) ? body.Resources : [];
		return (
			groups.find((group) => group.displayName === displayName) ??
			groups.find((group) => group.displayName?.toLowerCase() === displayName.toLowerCase())
		);
	}

	// ---------------------------------------------------------------- writing

	private userBody(user: ScimUserDraft): Record<string, unknown> {
		const schemas = new Set<string>(Array.isArray(user.schemas) ? user.schemas : [USER_SCHEMA]);
		schemas.add(USER_SCHEMA);
		for (const key of Object.keys(user)) if (key.startsWith('urn:')) schemas.add(key);
		return { ...user, schemas: [...schemas] };
	}

	/** The single-request writes the ScimWriter builds on: each throws on any non-2xx or lost answer. */
	private primitives(): ScimWritePrimitives {
		return {
			capabilities: async () => await this.capabilities(),
			findUserByExternalId: async (externalId) => await this.findUserByExternalId(externalId),
			findUserByUserName: async (userName) => await this.findUserByUserName(userName),
			findGroupByName: async (displayName) => await this.findGroupByName(displayName),
			createUser: async (draft) => await this.postUser(draft),
			getUser: async (id) => await this.getUser(id),
			patchUser: async (id, operations, version) => await this.patchUser(id, operations, version),
			createGroup: async (displayName, externalId) => await this.postGroup(displayName, externalId),
			addGroupMembers: async (groupId, ids) =>
				await this.patchGroup(groupId, [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }]),
			removeGroupMembers: async (groupId, ids) =>
				await this.patchGroup(groupId, ids.map((id) => ({ op: 'remove' as const, path: `members[value eq ${scimFilterValue(id)}]` }))),
			bulk: async (operations) => await this.postBulk(operations),
		};
	}

	/** One POST /Users (429 is retried by send; a 5xx or lost answer is the ScimWriter's to resolve). */
	private async postUser(user: ScimUserDraft): Promise<ScimUser> {
		const sent = await this.send('POST', '/Users', { body: this.userBody(user), idempotent: false });
		if (!isOk(sent.status)) throw this.fail(sent);
		const created = sent.body as ScimUser | undefined;
		if (created && typeof created.id === 'string') return created;
		const { externalId, userName } = draftKeys(user);
		const existing = externalId
			? await this.findUserByExternalId(externalId)
			: userName
				? await this.findUserByUserName(userName)
				: undefined;
		if (existing) return existing;
		throw new PlekApiError('Plek accepted the new user but returned no user id', {
			status: sent.status,
			method: 'POST',
			path: '/Users',
			hint: 'Check the SCIM Base Path in the credential.',
		});
	}

	private async postGroup(displayName: string, externalId?: string): Promise<ScimGroup> {
		const body = externalId === undefined ? { schemas: [GROUP_SCHEMA], displayName } : { schemas: [GROUP_SCHEMA], displayName, externalId };
		const sent = await this.send('POST', '/Groups', { body, idempotent: false });
		if (isOk(sent.status) && sent.body && typeof (sent.body as ScimGroup).id === 'string') return sent.body as ScimGroup;
		if (isOk(sent.status)) {
			const existing = await this.findGroupByName(displayName);
			if (existing) return existing;
		}
		throw this.fail(sent);
	}

	/** A failed outcome as the error it came from (or one built from it). */
	private toError(failure: WriteFailure, method: PlekHttpMethod, path: string): unknown {
		return (
			errorOfFailure(failure) && failure.status !== 409
				? errorOfFailure(failure)
				: new PlekApiError(redact(failure.detail, this.secrets), {
						status: failure.status,
						scimType: failure.scimType,
						method,
						path,
						hint: failure.hint,
					})
		);
	}

	// ---------------------------------------------------------------- typed writes (PlekDirectory)

	/** User creates and PATCHes with typed outcomes; Bulk when advertised and allowed; see ScimWriter. */
	async writeUsers(writes: readonly UserWrite[], options?: UserWriteOptions): Promise<WriteOutcome[]> {
		const onSettled = options?.onSettled;
		const outcomes = await this.writer.writeUsers(writes, {
			...options,
			onSettled: onSettled && ((index, outcome) => onSettled(index, this.redactOutcome(outcome))),
		});
		return outcomes.map((outcome) => outcome && this.redactOutcome(outcome));
	}

	/** The create conflicts met since the last call (see ScimWriter.takeCreateConflicts). */
	takeCreateConflicts(): CreateConflict[] {
		return this.writer.takeCreateConflicts();
	}

	async ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>> {
		return this.redactOutcome(await this.writer.ensureGroup(displayName, externalId));
	}

	async changeMembers(change: MembershipChange, options?: MembershipOptions): Promise<UpdateOutcome[]> {
		const onRequest = options?.onRequest;
		const outcomes = await this.writer.changeMembers(change, {
			membersPerRequest: this.membersPerPatch,
			...options,
			onRequest: onRequest && ((chunk) => onRequest(chunk.map((outcome) => this.redactOutcome(outcome)))),
		});
		return outcomes.map((outcome) => this.redactOutcome(outcome));
	}

	/**
	 * POST /Users. A 409 resolves by looking the user up by externalId (then userName) and returning it when it is
	 * the same person. A network error or 5xx (the create may have been applied) is followed by a lookup before the
	 * next attempt, so a lost response never creates a duplicate. Throws when the create failed.
	 */
	async createUser(user: ScimUserDraft): Promise<ScimUser> {
		const outcome = await this.writer.createUser(user);
		if (outcome.outcome === 'failed') throw this.toError(outcome, 'POST', '/Users');
		return outcome.resource;
	}

	/**
	 * PATCH /Users/{id} with a PatchOp. With a version it sends If-Match; a 412 refetches the user and retries once
	 * with the current version (the operations are absolute values, so re-applying them is safe).
	 */
	async patchUser(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser> {
		const path = `/Users/${encodeURIComponent(id)}`;
		const body = { schemas: [PATCH_OP_SCHEMA], Operations: operations };
		let currentVersion = version;
		for (let round = 0; ; round++) {
			const sent = await this.send('PATCH', path, {
				body,
				headers: currentVersion ? { 'If-Match': currentVersion } : undefined,
			});
			if (sent.status === 412 && round === 0) {
				const current = await this.getUser(id);
				if (!current) throw this.fail({ ...sent, status: 404, body: undefined });
				currentVersion = current.meta?.version;
				continue;
			}
			this.expectOk(sent);
			const updated = sent.body as ScimUser | undefined;
			if (updated && typeof updated.id === 'string') return updated;
			const fetched = await this.getUser(id);
			if (!fetched) throw this.fail({ ...sent, status: 404, body: undefined });
			return fetched;
		}
	}

	/** POST /Groups. A 409 or a lost answer resolves by looking the group up by displayName. */
	async createGroup(displayName: string): Promise<ScimGroup> {
		const outcome = await this.writer.ensureGroup(displayName);
		if (outcome.outcome === 'failed') throw this.toError(outcome, 'POST', '/Groups');
		return outcome.resource;
	}

	private async patchGroup(groupId: string, operations: PatchOperation[]): Promise<void> {
		const sent = await this.send('PATCH', `/Groups/${encodeURIComponent(groupId)}`, {
			body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
		});
		this.expectOk(sent);
	}

	private async changeMembersOrThrow(change: MembershipChange): Promise<void> {
		const outcomes = await this.changeMembers(change);
		const failed = outcomes.find((o): o is WriteFailure => o.outcome === 'failed');
		if (failed) throw this.toError(failed, 'PATCH', `/Groups/${encodeURIComponent(change.groupId)}`);
	}

	/** PATCH add `members` with [{value}], in chunks; throws the first refusal (the other members are added). */
	async addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		await this.changeMembersOrThrow({ groupId, kind: 'add', userIds });
	}

	/** PATCH remove with path `members[value eq "id"]`, one operation per member, in chunks. */
	async removeGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		await this.changeMembersOrThrow({ groupId, kind: 'remove', userIds });
	}

	/** One POST /Bulk as given (the ScimWriter chunks); a request with a POST in it is not re-sent after a 5xx. */
	private async postBulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		const hasPost = operations.some((op) => op.method === 'POST');
		const sent = await this.send('POST', '/Bulk', {
			body: { schemas: [BULK_REQUEST_SCHEMA], Operations: operations },
			idempotent: !hasPost,
		});
		const body = this.expectOk(sent) as { Operations?: BulkOperationResult[] } | undefined;
		return (Array.isArray(body?.Operations) ? body.Operations : []).map((r) => this.redactBulkResult({ ...r, status: String(r.status) }));
	}

	/** Redaction, where Plek's text comes in: every error text of this client passes here (see errors.ts redact). */
	private redactText(text: string): string {
		return redact(text, this.secrets);
	}

	/** A Bulk operation's own error (`response.detail`, `scimType`) is Plek's text like a single request's. */
	private redactBulkResult(result: BulkOperationResult): BulkOperationResult {
		const response = result.response as Record<string, unknown> | undefined;
		if (!response || typeof response !== 'object') return result;
		const cleaned: Record<string, unknown> = { ...response };
		for (const key of ['detail', 'scimType', 'message'] as const) {
			if (typeof cleaned[key] === 'string') cleaned[key] = this.redactText(cleaned[key] as string);
		}
		return { ...result, response: cleaned };
	}

	/** The last check on what leaves for the executor (Issues, Changes, the breaker's description). */
	private redactOutcome<T extends { outcome: string }>(outcome: T): T {
		if (isFailure(outcome)) {
			outcome.detail = this.redactText(outcome.detail);
			if (outcome.hint) outcome.hint = this.redactText(outcome.hint);
			if (outcome.scimType) outcome.scimType = this.redactText(outcome.scimType);
		} else if (outcome.outcome === 'updated') {
			for (const refusal of (outcome as { notApplied?: AttributeRefusal[] }).notApplied ?? []) {
				refusal.detail = this.redactText(refusal.detail);
				if (refusal.scimType) refusal.scimType = this.redactText(refusal.scimType);
			}
		}
		return outcome;
	}

	/**
	 * SCIM Bulk, split into requests within the server's maxOperations and maxPayloadSize. `bulkId:` references to
	 * resources created by an earlier request are replaced by their ids. A request containing a POST is not
	 * re-sent after a 5xx or network error (it may have been applied); only 429 is retried for it.
	 */
	async bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		if (operations.length === 0) return [];
		const caps = await this.capabilities();
		if (!caps.bulk.supported) {
			throw new PlekApiError('This Plek environment does not advertise SCIM Bulk', {
				method: 'POST',
				path: '/Bulk',
				hint: 'Turn bulk off in the node options.',
			});
		}
		const maxOperations = caps.bulk.maxOperations > 0 ? caps.bulk.maxOperations : 1000;
		const maxPayload = caps.bulk.maxPayloadSize > 0 ? caps.bulk.maxPayloadSize : Number.POSITIVE_INFINITY;
		const envelope = (ops: unknown[]) => ({ schemas: [BULK_REQUEST_SCHEMA], Operations: ops });
		const overhead = byteLength(JSON.stringify(envelope([])));
		const createdIds = new Map<string, string>();
		const results: BulkOperationResult[] = [];
		let index = 0;
		while (index < operations.length) {
			const batch: BulkOperation[] = [];
			let size = overhead;
			while (index < operations.length && batch.length < maxOperations) {
				const op = substituteBulkIds(operations[index], createdIds);
				const opSize = byteLength(JSON.stringify(op)) + (batch.length > 0 ? 1 : 0);
				if (size + opSize > maxPayload) {
					if (batch.length === 0) {
						throw new PlekApiError(
							`A single bulk operation (${op.method} ${op.path}) is larger than Plek's maxPayloadSize of ${maxPayload} bytes`,
							{ status: 413, method: 'POST', path: '/Bulk', hint: 'Turn bulk off for this run.' },
						);
					}
					break;
				}
				batch.push(op);
				size += opSize;
				index++;
			}
			const hasPost = batch.some((op) => op.method === 'POST');
			const sent = await this.send('POST', '/Bulk', { body: envelope(batch), idempotent: !hasPost });
			const body = this.expectOk(sent) as { Operations?: BulkOperationResult[] } | undefined;
			const batchResults = Array.isArray(body?.Operations) ? body.Operations : [];
			for (const result of batchResults) {
				const normalised: BulkOperationResult = this.redactBulkResult({ ...result, status: String(result.status) });
				if (normalised.bulkId && normalised.location && isOk(Number(normalised.status))) {
					const id = normalised.location.replace(/\/+$/, '').split('/').pop();
					if (id) createdIds.set(normalised.bulkId, id);
				}
				results.push(normalised);
			}
		}
		return results;
	}
}

function isFailure(outcome: { outcome: string }): outcome is WriteFailure {
	return outcome.outcome === 'failed';
}

function draftKeys(user: ScimUserDraft): { externalId?: string; userName?: string } {
	return {
		externalId: typeof user.externalId === 'string' && user.externalId ? user.externalId : undefined,
		userName: typeof user.userName === 'string' && user.userName ? user.userName : undefined,
	};
}

function byteLength(text: string): number {
	return new TextEncoder().encode(text).length;
}

function substituteBulkIds(op: BulkOperation, createdIds: Map<string, string>): BulkOperation {
	if (createdIds.size === 0) return op;
	let text = JSON.stringify(op);
	if (!text.includes('bulkId:')) return op;
	for (const [bulkId, id] of createdIds) {
		const replacement = JSON.stringify(id).slice(1, -1);
		text = text.replace(new RegExp(`bulkId:${escapeRegExp(bulkId)}(?![A-Za-z0-9_.~-])`, 'g'), () => replacement);
	}
	return JSON.parse(text) as BulkOperation;
}

/** Capabilities from a ServiceProviderConfig; `null` (none advertised) assumes the conservative set and says so. */
function capabilitiesFrom(config: Record<string, unknown> | null): PlekCapabilities {
	if (config === null) {
		return {
			patch: true,
			bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
			filter: { supported: true, maxResults: 0 },
			etag: false,
			assumed: [
				'Plek has no /ServiceProviderConfig: assumed PATCH and filters, no Bulk, no ETags; pages sized by the server (itemsPerPage)',
			],
		};
	}
	const section = (name: string) => (config[name] ?? {}) as Record<string, unknown>;
	const num = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 0);
	return {
		patch: section('patch').supported === true,
		bulk: {
			supported: section('bulk').supported === true,
			maxOperations: num(section('bulk').maxOperations),
			maxPayloadSize: num(section('bulk').maxPayloadSize),
		},
		filter: {
			supported: section('filter').supported === true,
			maxResults: num(section('filter').maxResults),
		},
		etag: section('etag').supported === true,
	};
}
