// The SCIM API of Plek: its paths, discovery, paging, lookups and single-request writes, each one request (or one
// listing) through the sender. It keeps no state of a run: the typed writes and what a run learns (PATCH dialect,
// refused attributes, create conflicts) are the per-run PlekDirectory's (directory.ts). Its write methods are the
// primitives the ScimWriter builds on; each throws on a non-2xx or lost answer.
import type {
	BulkOperation,
	BulkOperationResult,
	PatchOperation,
	PlekCapabilities,
	ScimGroup,
	ScimUser,
	ScimUserDraft,
} from '../core/types';
import { BulkBatcher, bulkRequestBody } from './bulk';
import { NOT_ADVERTISED, capabilitiesFrom } from './discovery';
import { PlekApiError, redact } from './errors';
import { filterEq, scimFilterValue } from './filter';
import { readToTheEnd } from './paging';
import { groupPath, patchBody, userPath } from './paths';
import { GROUP_SCHEMA, USER_SCHEMA } from './schemas';
import type { ScimSchema } from './schemas';
import { isOk } from './sender';
import type { ScimSender } from './sender';
import type { StopSignal } from './retry';
import type { ScimWritePrimitives } from './writes';

/** Resources asked for by a lookup on a unique attribute. */
const LOOKUP_COUNT = 10;

/** Page size asked for when neither the options nor the server's filter.maxResults give one. */
const DEFAULT_LARGE_PAGE = 1000;

export interface ScimListResponse<T> {
	totalResults: number;
	startIndex: number;
	itemsPerPage: number;
	Resources: T[];
}

export interface ScimApiOptions {
	/** Users per page when listing. Default the server's filter.maxResults, else 1000 (the server may serve fewer). */
	pageSize?: number;
	/**
	 * /ServiceProviderConfig as an earlier run read it (`null`: that run found none), so a scheduled sync does
	 * not read it again; see discoveredConfig().
	 */
	serviceProviderConfig?: Record<string, unknown> | null;
}

type Listed = '/Users' | '/Groups';

const UNTRUSTED_LIST_HINT = 'Report the page to Plek support; the sync refuses to act on a list it cannot trust.';

export class ScimApi implements ScimWritePrimitives {
	private capabilitiesPromise?: Promise<PlekCapabilities>;
	private serviceProviderConfigPromise?: Promise<Record<string, unknown> | null>;

	constructor(
		readonly sender: ScimSender,
		private readonly options: ScimApiOptions = {},
	) {}

	// ---------------------------------------------------------------- discovery

	/**
	 * /ServiceProviderConfig, read once. `null` when the server has none (404 / 405 / 501): many SCIM servers offer
	 * no discovery, and capabilities() then assumes conservatively.
	 */
	async getServiceProviderConfig(): Promise<Record<string, unknown> | null> {
		if (this.options.serviceProviderConfig !== undefined) return this.options.serviceProviderConfig;
		if (!this.serviceProviderConfigPromise) {
			this.serviceProviderConfigPromise = this.sender.send('GET', '/ServiceProviderConfig').then((sent) =>
				NOT_ADVERTISED.has(sent.status) ? null : ((this.sender.expectOk(sent) ?? {}) as Record<string, unknown>),
			);
			this.serviceProviderConfigPromise.catch(() => {
				this.serviceProviderConfigPromise = undefined;
			});
		}
		return await this.serviceProviderConfigPromise;
	}

	/** What is known of /ServiceProviderConfig (to cache across runs); undefined if never read. */
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
		const sent = await this.sender.send('GET', path);
		if (NOT_ADVERTISED.has(sent.status)) return [];
		const body = this.sender.expectOk(sent);
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
	async listPage<T>(
		resource: Listed,
		startIndex: number,
		count: number,
		filter?: string,
	): Promise<ScimListResponse<T> & { reportedTotal?: number }> {
		const sent = await this.sender.send('GET', resource, { qs: { startIndex, count, filter: filter || undefined } });
		const body = this.sender.expectOk(sent) as Partial<ScimListResponse<T>> | string | undefined;
		const list = body && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
		const total = typeof list?.totalResults === 'number' ? list.totalResults : undefined;
		const resources = Array.isArray(list?.Resources) ? list.Resources : list && total === 0 && list.Resources === undefined ? [] : undefined;
		const asked = `GET ${resource} (startIndex ${startIndex}, count ${count})`;
		if (!resources) {
			const what = typeof body === 'string' ? 'invalid or truncated JSON' : 'no Resources array';
			throw new PlekApiError(`Plek answered ${asked} with something that is not a SCIM list (${what}); nothing was written`, {
				status: sent.status,
				method: 'GET',
				path: resource,
				hint: 'Run again later; if it persists, report the page to Plek support.',
			});
		}
		if (total !== undefined && resources.length > total) {
			// A server that under-reports totalResults would end the listing early: users it did not list look
			// missing (creates that collide, leavers never deactivated). Refuse the list instead.
			throw new PlekApiError(
				`Plek answered ${asked} with ${resources.length} resources but totalResults ${total}; a list that under-reports its size cannot be trusted, nothing was written`,
				{ status: sent.status, method: 'GET', path: resource, hint: UNTRUSTED_LIST_HINT },
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

	/**
	 * Every resource, read to the end (see paging.ts: an empty page, or a totalResults the server shows it can be
	 * trusted with). A malformed page, a resource without an id, an id listed twice or pages that contradict each
	 * other fail the run before anything is written.
	 */
	async listAll<T extends { id: string }>(resource: Listed, filter?: string, limit?: number): Promise<T[]> {
		const seen = new Map<string, number>();
		const out: T[] = [];
		await readToTheEnd<T>({
			fetchPage: async (start, count) => {
				const page = await this.listPage<T>(resource, start, count, filter);
				return { resources: page.Resources, total: page.reportedTotal };
			},
			pageSize: await this.pageSize(),
			concurrency: this.sender.concurrency,
			limit,
			take: (items, start) => {
				for (const item of items) acceptListed(resource, item, start, seen, out);
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

	// ---------------------------------------------------------------- lookups

	/** A lookup by a unique attribute: one page answers it (a second page is never needed to know who holds it). */
	private async lookupUsers(filter: string): Promise<ScimUser[]> {
		const count = Math.min(LOOKUP_COUNT, await this.pageSize());
		return (await this.listPage<ScimUser>('/Users', 1, count, filter)).Resources;
	}

	async getUser(id: string): Promise<ScimUser | undefined> {
		const sent = await this.sender.send('GET', userPath(id));
		if (sent.status === 404) return undefined;
		return this.sender.expectOk(sent) as ScimUser;
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
		const body = this.sender.expectOk(
			await this.sender.send('GET', '/Groups', { qs: { filter: filterEq('displayName', displayName), count: 10 } }),
		) as { Resources?: ScimGroup[] } | undefined;
		const groups = Array.isArray(body?.Resources) ? body.Resources : [];
		return (
			groups.find((group) => group.displayName === displayName) ??
			groups.find((group) => group.displayName?.toLowerCase() === displayName.toLowerCase())
		);
	}

	// ---------------------------------------------------------------- single-request writes

	/** One POST /Users (429 is retried by the sender; a 5xx or lost answer is the ScimWriter's to resolve). */
	async createUser(user: ScimUserDraft, stop?: StopSignal): Promise<ScimUser> {
		const sent = await this.sender.send('POST', '/Users', { body: userBody(user), idempotent: false, stop });
		if (!isOk(sent.status)) throw this.sender.fail(sent);
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

	/** One POST /Groups; an answer without the group is looked up by name. */
	async createGroup(displayName: string, externalId?: string, stop?: StopSignal): Promise<ScimGroup> {
		const body = externalId === undefined ? { schemas: [GROUP_SCHEMA], displayName } : { schemas: [GROUP_SCHEMA], displayName, externalId };
		const sent = await this.sender.send('POST', '/Groups', { body, idempotent: false, stop });
		if (isOk(sent.status) && sent.body && typeof (sent.body as ScimGroup).id === 'string') return sent.body as ScimGroup;
		if (isOk(sent.status)) {
			const existing = await this.findGroupByName(displayName);
			if (existing) return existing;
		}
		throw this.sender.fail(sent);
	}

	/**
	 * PATCH /Users/{id} with a PatchOp. With a version it sends If-Match; a 412 refetches the user and sends again
	 * with the current version as the retry policy allows (the operations are absolute values, so re-applying them
	 * is safe).
	 */
	async patchUser(id: string, operations: PatchOperation[], version?: string, stop?: StopSignal): Promise<ScimUser> {
		const path = userPath(id);
		let currentVersion = version;
		for (let resent = 0; ; resent++) {
			const headers = currentVersion ? { 'If-Match': currentVersion } : undefined;
			const sent = await this.sender.send('PATCH', path, { body: patchBody(operations), headers, stop });
			if (sent.status === 412 && this.sender.retry.mayResend('preconditionFailed', resent, stop)) {
				const current = await this.getUser(id);
				if (!current) throw this.sender.fail({ ...sent, status: 404, body: undefined });
				currentVersion = current.meta?.version;
				continue;
			}
			this.sender.expectOk(sent);
			const updated = sent.body as ScimUser | undefined;
			if (updated && typeof updated.id === 'string') return updated;
			const fetched = await this.getUser(id);
			if (!fetched) throw this.sender.fail({ ...sent, status: 404, body: undefined });
			return fetched;
		}
	}

	/** One PATCH adding `members` with [{value}]. */
	async addGroupMembers(groupId: string, userIds: string[], stop?: StopSignal): Promise<void> {
		await this.patchGroup(groupId, [{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }], stop);
	}

	/** One PATCH removing `members[value eq "id"]`, one operation per member. */
	async removeGroupMembers(groupId: string, userIds: string[], stop?: StopSignal): Promise<void> {
		const operations = userIds.map((id) => ({ op: 'remove' as const, path: `members[value eq ${scimFilterValue(id)}]` }));
		await this.patchGroup(groupId, operations, stop);
	}

	private async patchGroup(groupId: string, operations: PatchOperation[], stop?: StopSignal): Promise<void> {
		this.sender.expectOk(await this.sender.send('PATCH', groupPath(groupId), { body: patchBody(operations), stop }));
	}

	/** One POST /Bulk as given (the caller chunks); a request with a POST in it is not re-sent after a 5xx. */
	async bulk(operations: BulkOperation[], stop?: StopSignal): Promise<BulkOperationResult[]> {
		const hasPost = operations.some((op) => op.method === 'POST');
		const sent = await this.sender.send('POST', '/Bulk', { body: bulkRequestBody(operations), idempotent: !hasPost, stop });
		const body = this.sender.expectOk(sent) as { Operations?: BulkOperationResult[] } | undefined;
		const results = Array.isArray(body?.Operations) ? body.Operations : [];
		return results.map((result) => this.redactBulkResult({ ...result, status: String(result.status) }));
	}

	/**
	 * SCIM Bulk, split into requests within the server's maxOperations and maxPayloadSize (see bulk.ts). A request
	 * containing a POST is not re-sent after a 5xx or network error (it may have been applied); only 429 is
	 * retried for it.
	 */
	async bulkInRequests(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		if (operations.length === 0) return [];
		const caps = await this.capabilities();
		if (!caps.bulk.supported) {
			throw new PlekApiError('This Plek environment does not advertise SCIM Bulk', {
				method: 'POST',
				path: '/Bulk',
				hint: 'Turn bulk off in the node options.',
			});
		}
		const batcher = new BulkBatcher(operations, caps);
		const results: BulkOperationResult[] = [];
		for (let batch = batcher.next(); batch.length > 0; batch = batcher.next()) {
			const answered = await this.bulk(batch);
			batcher.remember(answered);
			results.push(...answered);
		}
		return results;
	}

	/** A Bulk operation's own error (`response.detail`, `scimType`) is Plek's text like a single request's. */
	private redactBulkResult(result: BulkOperationResult): BulkOperationResult {
		const response = result.response as Record<string, unknown> | undefined;
		if (!response || typeof response !== 'object') return result;
		const cleaned: Record<string, unknown> = { ...response };
		for (const key of ['detail', 'scimType', 'message'] as const) {
			if (typeof cleaned[key] === 'string') cleaned[key] = redact(cleaned[key] as string, this.sender.secrets);
		}
		return { ...result, response: cleaned };
	}
}

function acceptListed<T extends { id: string }>(resource: Listed, item: T, start: number, seen: Map<string, number>, out: T[]): void {
	const id = (item as { id?: unknown } | null)?.id;
	const what = resource === '/Users' ? 'user' : 'group';
	if (typeof id !== 'string' || id === '') {
		throw new PlekApiError(`Plek listed a ${what} without an id in GET ${resource} (page at startIndex ${start}); nothing was written`, {
			method: 'GET',
			path: resource,
			hint: UNTRUSTED_LIST_HINT,
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

function userBody(user: ScimUserDraft): Record<string, unknown> {
	const schemas = new Set<string>(Array.isArray(user.schemas) ? user.schemas : [USER_SCHEMA]);
	schemas.add(USER_SCHEMA);
	for (const key of Object.keys(user)) if (key.startsWith('urn:')) schemas.add(key);
	return { ...user, schemas: [...schemas] };
}

function draftKeys(user: ScimUserDraft): { externalId?: string; userName?: string } {
	return {
		externalId: typeof user.externalId === 'string' && user.externalId ? user.externalId : undefined,
		userName: typeof user.userName === 'string' && user.userName ? user.userName : undefined,
	};
}
