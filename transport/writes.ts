// Typed write outcomes: the one place that resolves unknown outcomes (a 409 on create, a lost response, a lost
// Bulk request) and chunks writes (Bulk requests, membership PATCHes). It works over single-request primitives,
// so the SCIM API and the executor tests' in-memory directory share exactly this logic. What is sent again, and
// how often, the RetryPolicy decides (retry.ts); the writes pass it the run's failure breaker (`shouldStop`).
import type {
	AttributeRefusal,
	BulkOperation,
	CreateConflict,
	BulkOperationResult,
	CreateOutcome,
	MembershipChange,
	MembershipOptions,
	PatchOperation,
	PlekCapabilities,
	ScimGroup,
	ScimUser,
	ScimUserDraft,
	UpdateOutcome,
	UserWrite,
	UserWriteOptions,
	WriteFailure,
	WriteOutcome,
} from '../core/types';
import { readScimPath, parseScimPath } from '../core/scimPath';
import { RETRYABLE_NETWORK_CODES } from './errors';
import { immediateRetryPolicy } from './retry';
import type { RetryPolicy, StopSignal } from './retry';
import { patchBody, userPath } from './paths';
import { DIALECT_SCIM_TYPES, toPlainDialect, usesRichDialect } from './patchDialect';
import { scimFilterValue } from './filter';
import { runPool } from '../core/pool';

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MEMBERS_PER_REQUEST = 100;
const DEFAULT_BULK_OPERATIONS = 100;

/**
 * One request each; they throw on any non-2xx answer (an Error with `status`, `scimType`, `hint`) and on a
 * lost answer (no `status`). 429 is retried below them (the sender, as the RetryPolicy says), never seen here.
 * `stop` is the run's failure breaker: a primitive that retries asks it first.
 */
export interface ScimWritePrimitives {
	capabilities(): Promise<PlekCapabilities>;
	findUserByExternalId(externalId: string): Promise<ScimUser | undefined>;
	findUserByUserName(userName: string): Promise<ScimUser | undefined>;
	findGroupByName(displayName: string): Promise<ScimGroup | undefined>;
	createUser(draft: ScimUserDraft, stop?: StopSignal): Promise<ScimUser>;
	getUser(id: string): Promise<ScimUser | undefined>;
	patchUser(id: string, operations: PatchOperation[], version?: string, stop?: StopSignal): Promise<ScimUser>;
	createGroup(displayName: string, externalId?: string, stop?: StopSignal): Promise<ScimGroup>;
	addGroupMembers(groupId: string, userIds: string[], stop?: StopSignal): Promise<void>;
	removeGroupMembers(groupId: string, userIds: string[], stop?: StopSignal): Promise<void>;
	bulk(operations: BulkOperation[], stop?: StopSignal): Promise<BulkOperationResult[]>;
}

export interface WriterOptions {
	/** What is sent again and after which wait. Default: the standard counts without waiting (tests). */
	retry?: RetryPolicy;
}

/** The parts of an error the outcome needs. */
export function failureOf(error: unknown): WriteFailure {
	const e = (error ?? {}) as { status?: unknown; statusCode?: unknown; scimType?: unknown; message?: unknown; hint?: unknown };
	const raw = e.status ?? e.statusCode;
	const status = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{3}$/.test(raw) ? Number(raw) : undefined;
	const failure: WriteFailure = {
		outcome: 'failed',
		status,
		scimType: typeof e.scimType === 'string' ? e.scimType : undefined,
		detail: typeof e.message === 'string' && e.message !== '' ? e.message : String(error),
		...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
	};
	Object.defineProperty(failure, 'error', { value: error, enumerable: false });
	return failure;
}

/** The error a failure was made from (not enumerable: outcomes go into results, errors stay out of them). */
export function errorOfFailure(failure: WriteFailure): unknown {
	return (failure as { error?: unknown }).error;
}

/**
 * After this failure the write may or may not have happened. Known: a status below 500 (but 408), a credential
 * failure (nothing was sent), a network error that happens before sending (DNS, refused connection).
 */
export function outcomeUnknown(failure: WriteFailure): boolean {
	const error = errorOfFailure(failure) as { name?: unknown; code?: unknown } | undefined;
	if (error?.name === 'PlekAuthError') return false;
	const s = failure.status;
	if (s !== undefined) return s >= 500 || s === 408;
	return typeof error?.code !== 'string' || RETRYABLE_NETWORK_CODES.has(error.code);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

type PatchWrite = Extract<UserWrite, { kind: 'patch' }>;
/** What a user's PATCH is sent with: If-Match, the user as listed (for the plain dialect), the breaker. */
interface PatchContext {
	version?: string;
	current?: ScimUser;
	stop?: StopSignal;
}
type CreateWrite = Extract<UserWrite, { kind: 'create' }>;
interface BulkEntry {
	index: number;
	write: UserWrite;
	op: BulkOperation;
}

/** scimTypes of a 400 that refuses one attribute rather than the request. */
const ATTRIBUTE_SCIM_TYPES = new Set(['invalidPath', 'mutability', 'invalidValue', 'noTarget']);

/** `emails[type eq "work"].value` -> `emails`; extension paths keep their URN. */
function attributeOf(op: PatchOperation): string {
	if (!op.path) return '(no path)';
	try {
		const parsed = parseScimPath(op.path);
		return parsed.schema ? `${parsed.schema}:${parsed.attribute}` : parsed.attribute;
	} catch {
		return op.path;
	}
}

function groupByAttribute(operations: readonly PatchOperation[]): PatchOperation[][] {
	const groups = new Map<string, PatchOperation[]>();
	for (const op of operations) {
		const key = attributeOf(op).toLowerCase();
		groups.set(key, [...(groups.get(key) ?? []), op]);
	}
	return [...groups.values()];
}

/** Attributes a successful PATCH set but the returned user does not hold: Plek dropped them silently. */
function droppedAttributes(operations: readonly PatchOperation[], user: ScimUser | undefined): AttributeRefusal[] {
	if (!user) return [];
	const out: AttributeRefusal[] = [];
	for (const op of operations) {
		if (op.op === 'remove' || !op.path || op.path === 'externalId' || op.value === null || typeof op.value === 'object') continue;
		let stored: unknown;
		try {
			stored = readScimPath(user, op.path);
		} catch {
			continue;
		}
		if (stored === undefined) {
			out.push({ attribute: attributeOf(op), reason: 'dropped', detail: `Plek accepted ${op.path} but the user it returned does not hold it` });
		}
	}
	return out;
}

export class ScimWriter {
	/** Set once Plek refused a filtered path or a path-less value object: the rest of the run uses plain paths. */
	private plainDialect = false;
	/** Attributes Plek refused or dropped in this run: not sent again, reported with each user they concern. */
	private readonly refused = new Map<string, AttributeRefusal>();
	private readonly retry: RetryPolicy;
	/**
	 * Set by the first user create that meets an account the plan did not know of: the listing was incomplete, so
	 * from then on every create first looks its key up (a server that does not enforce externalId uniqueness would
	 * otherwise accept a second account for it).
	 */
	private listingDoubted = false;
	private readonly conflicts: CreateConflict[] = [];

	constructor(
		private readonly p: ScimWritePrimitives,
		options: WriterOptions = {},
	) {
		this.retry = options.retry ?? immediateRetryPolicy();
	}

	// ---- single writes ----------------------------------------------------------------------------------

	/**
	 * POST once; a lost answer or 5xx is followed by a lookup (for a user by externalId, then userName; for a group
	 * by name) before any new POST, so a lost response never makes a duplicate. A 409 resolves by lookup as
	 * `alreadyExisted`.
	 */
	private async createResolved<T>(
		post: () => Promise<T>,
		lookup: () => Promise<T | undefined>,
		onConflict: (failure: WriteFailure) => Promise<CreateOutcome<T>>,
		stop?: StopSignal,
	): Promise<CreateOutcome<T>> {
		for (let attempt = 1; ; attempt++) {
			let failure: WriteFailure;
			try {
				return { outcome: 'created', resource: await post() };
			} catch (error) {
				failure = failureOf(error);
			}
			if (failure.status === 409) return await onConflict(failure);
			if (!outcomeUnknown(failure)) return failure;
			const existing = await lookup().catch(() => undefined);
			if (existing) return { outcome: 'created', resource: existing };
			if (!(await this.retry.resendCreate(attempt, stop))) return failure;
		}
	}

	/**
	 * One user create. With `verifyFirst` (and for every create once the listing is doubted) the key is looked up
	 * first: an account that carries it is returned as `alreadyExisted` and nothing is sent; a lookup that fails
	 * leaves the create unsent (it cannot be sure no account carries the key).
	 */
	async createUser(draft: ScimUserDraft, verifyFirst = false, stop?: StopSignal): Promise<CreateOutcome<ScimUser>> {
		if (verifyFirst || this.listingDoubted) {
			const checked = await this.checkKeyIsFree(draft);
			if (checked) return checked;
		}
		return await this.createResolved(
			() => this.p.createUser(draft, stop),
			() => this.lookupCreated(draft),
			(failure) => this.resolveCreateConflict(draft, failure),
			stop,
		);
	}

	/**
	 * One user's PATCH. A 400 invalidPath / invalidFilter / noTarget / invalidSyntax for a filtered path or a
	 * path-less value object switches the run to plain paths (see patchDialect.ts) and retries. A 400 for one
	 * attribute among several applies the others and reports that attribute (and it is not sent again this run);
	 * an attribute the answer shows was silently dropped is reported likewise.
	 */
	async patchUser(
		id: string,
		operations: PatchOperation[],
		version?: string,
		current?: ScimUser,
		stop?: StopSignal,
	): Promise<UpdateOutcome> {
		const skipped = operations.filter((op) => this.refused.has(attributeOf(op).toLowerCase()));
		const notApplied = [...new Set(skipped.map((op) => this.refused.get(attributeOf(op).toLowerCase()) as AttributeRefusal))];
		const wanted = operations.filter((op) => !skipped.includes(op));
		if (wanted.length === 0) return { outcome: 'updated', notApplied };
		const outcome = await this.patchInDialect(id, wanted, { version, current, stop });
		if (outcome.outcome === 'failed') return outcome;
		const all = [...notApplied, ...(outcome.notApplied ?? [])];
		return all.length > 0 ? { ...outcome, notApplied: all } : outcome;
	}

	private async patchInDialect(id: string, operations: PatchOperation[], at: PatchContext, replayed = 0): Promise<UpdateOutcome> {
		const { version, current, stop } = at;
		let ops = operations;
		let ifMatch = version;
		if (this.plainDialect && usesRichDialect(ops)) {
			const user = current ?? (await this.p.getUser(id).catch(() => undefined));
			if (!user) return { outcome: 'failed', status: 404, detail: `Plek user ${id} could not be read to rewrite the change with plain paths` };
			ops = toPlainDialect(ops, user);
			ifMatch = current ? version : user.meta?.version;
		}
		const first = await this.patchOnce(id, ops, ifMatch, stop);
		if (first.outcome === 'updated') return this.withDropped(first, ops);
		const dialectRefusal = first.status === 400 && DIALECT_SCIM_TYPES.has(first.scimType ?? '') && usesRichDialect(ops);
		if (dialectRefusal) this.plainDialect = true;
		if (dialectRefusal && this.retry.mayResend('plainDialect', replayed, stop)) {
			// Other PATCHes in flight may meet the same refusal: each replays its own change, in plain form.
			return await this.patchInDialect(id, operations, at, replayed + 1);
		}
		if (first.status === 400 && ATTRIBUTE_SCIM_TYPES.has(first.scimType ?? '') && groupByAttribute(ops).length > 1) {
			return await this.patchPerAttribute(id, ops, stop);
		}
		if (first.status === 400 && ATTRIBUTE_SCIM_TYPES.has(first.scimType ?? '')) this.remember(ops, first);
		return first;
	}

	private async patchOnce(id: string, operations: PatchOperation[], version?: string, stop?: StopSignal): Promise<UpdateOutcome> {
		try {
			return { outcome: 'updated', resource: await this.p.patchUser(id, operations, version, stop) };
		} catch (error) {
			return failureOf(error);
		}
	}

	/** Each attribute's operations on their own: the refused ones are reported, the rest applied. */
	private async patchPerAttribute(id: string, operations: PatchOperation[], stop?: StopSignal): Promise<UpdateOutcome> {
		const notApplied: AttributeRefusal[] = [];
		let last: UpdateOutcome | undefined;
		let firstFailure: WriteFailure | undefined;
		for (const group of groupByAttribute(operations)) {
			const outcome = await this.patchOnce(id, group, undefined, stop);
			if (outcome.outcome === 'updated') {
				last = this.withDropped(outcome, group);
				notApplied.push(...(last.outcome === 'updated' ? (last.notApplied ?? []) : []));
			} else if (outcome.status === 400 && ATTRIBUTE_SCIM_TYPES.has(outcome.scimType ?? '')) {
				notApplied.push(this.remember(group, outcome));
			} else {
				firstFailure ??= outcome;
			}
		}
		if (firstFailure) return firstFailure;
		if (!last) return { outcome: 'failed', status: 400, scimType: notApplied[0]?.scimType, detail: notApplied.map((r) => r.detail).join('; ') };
		return { outcome: 'updated', resource: last.outcome === 'updated' ? last.resource : undefined, notApplied };
	}

	private remember(operations: PatchOperation[], failure: WriteFailure): AttributeRefusal {
		const attribute = attributeOf(operations[0]);
		const refusal: AttributeRefusal = { attribute, reason: 'refused', status: failure.status, scimType: failure.scimType, detail: failure.detail };
		this.refused.set(attribute.toLowerCase(), refusal);
		return refusal;
	}

	private withDropped(outcome: Extract<UpdateOutcome, { outcome: 'updated' }>, operations: PatchOperation[]): UpdateOutcome {
		const dropped = droppedAttributes(operations, outcome.resource);
		if (dropped.length === 0) return outcome;
		for (const d of dropped) this.refused.set(d.attribute.toLowerCase(), d);
		return { ...outcome, notApplied: [...(outcome.notApplied ?? []), ...dropped] };
	}

	async ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>> {
		const lookup = () => this.p.findGroupByName(displayName);
		return await this.createResolved(
			() => this.p.createGroup(displayName, externalId),
			lookup,
			async (failure) => {
				const existing = await lookup().catch(() => undefined);
				return existing ? { outcome: 'alreadyExisted', resource: existing } : failure;
			},
		);
	}

	private async lookupCreated(draft: ScimUserDraft): Promise<ScimUser | undefined> {
		try {
			if (typeof draft.externalId === 'string' && draft.externalId) return await this.p.findUserByExternalId(draft.externalId);
			if (typeof draft.userName === 'string' && draft.userName) return await this.p.findUserByUserName(draft.userName);
		} catch {
			// The lookup failing leaves the outcome unknown: the caller decides.
		}
		return undefined;
	}

	/** The account that already carries the draft's key (noted as a conflict), a failure when that cannot be known, or undefined: free. */
	private async checkKeyIsFree(draft: ScimUserDraft): Promise<CreateOutcome<ScimUser> | undefined> {
		const externalId = typeof draft.externalId === 'string' && draft.externalId ? draft.externalId : undefined;
		if (!externalId) return undefined;
		let holder: ScimUser | undefined;
		try {
			holder = await this.p.findUserByExternalId(externalId);
		} catch (error) {
			const failure = failureOf(error);
			return {
				outcome: 'failed',
				status: failure.status,
				scimType: failure.scimType,
				detail: `Not created: the run met an account its listing did not show, so each create first looks its externalId up, and Plek failed that lookup for ${scimFilterValue(externalId)} (${failure.detail})`,
				hint: 'Plek does not answer a filter on externalId for this value; check the key in Plek by hand, then run again.',
			};
		}
		if (!holder) return undefined;
		this.noteConflict(externalId, holder, 'externalId');
		return { outcome: 'alreadyExisted', resource: holder };
	}

	private noteConflict(key: string | undefined, holder: ScimUser, by: CreateConflict['by']): void {
		this.listingDoubted = true;
		if (key) this.conflicts.push({ key, holder, by });
	}

	/** The create conflicts met since the last call; see CreateConflict. */
	takeCreateConflicts(): CreateConflict[] {
		return this.conflicts.splice(0);
	}

	/**
	 * 409: evidence that the listing missed an account. The same person (same externalId) -> alreadyExisted; an
	 * account holding the userName is noted for the Sync's re-check (which adopts only as Adopt Existing Accounts
	 * allows); the failure says who holds it, or how the lookup failed.
	 */
	private async resolveCreateConflict(draft: ScimUserDraft, failure: WriteFailure): Promise<CreateOutcome<ScimUser>> {
		this.listingDoubted = true;
		const externalId = typeof draft.externalId === 'string' && draft.externalId ? draft.externalId : undefined;
		const userName = typeof draft.userName === 'string' && draft.userName ? draft.userName : undefined;
		const lookupErrors: string[] = [];
		const lookup = async (by: string, find: () => Promise<ScimUser | undefined>) =>
			await find().catch((error: unknown) => {
				lookupErrors.push(`the lookup by ${by} failed: ${failureOf(error).detail}`);
				return undefined;
			});
		const byExternalId = externalId ? await lookup('externalId', () => this.p.findUserByExternalId(externalId)) : undefined;
		if (byExternalId) {
			this.noteConflict(externalId, byExternalId, 'externalId');
			return { outcome: 'alreadyExisted', resource: byExternalId };
		}
		const byUserName = userName ? await lookup('userName', () => this.p.findUserByUserName(userName)) : undefined;
		if (byUserName) this.noteConflict(externalId, byUserName, byUserName.externalId === externalId ? 'externalId' : 'userName');
		if (byUserName && externalId && byUserName.externalId === externalId) return { outcome: 'alreadyExisted', resource: byUserName };
		const who = byUserName
			? `userName ${scimFilterValue(String(userName))} already belongs to Plek user ${byUserName.id}${
					byUserName.externalId ? ` with externalId ${scimFilterValue(byUserName.externalId)}` : ' (no externalId)'
				}, a different person than externalId ${scimFilterValue(String(externalId ?? ''))}`
			: `a user with userName ${scimFilterValue(String(userName ?? ''))} or externalId ${scimFilterValue(
					String(externalId ?? ''),
				)} already exists but could not be found by lookup${lookupErrors.length > 0 ? ` (${lookupErrors.join('; ')})` : ''}`;
		return {
			outcome: 'failed',
			status: 409,
			scimType: failure.scimType ?? 'uniqueness',
			detail: `Plek reports a uniqueness conflict (409) creating a user: ${who}`,
			hint: 'Either give the existing Plek account this externalId (link it), or change the mapping so the userName is unique.',
		};
	}

	// ---- many user writes -------------------------------------------------------------------------------

	/** PATCHes first (they may free userNames and adopt accounts), then creates; Bulk when asked and advertised. */
	async writeUsers(writes: readonly UserWrite[], options: UserWriteOptions = {}): Promise<WriteOutcome[]> {
		const outcomes: WriteOutcome[] = new Array(writes.length);
		const settle = (index: number, outcome: WriteOutcome) => {
			outcomes[index] = outcome;
			options.onSettled?.(index, outcome);
		};
		const indexed = writes.map((write, index) => ({ write, index }));
		const patches = indexed.filter((w) => w.write.kind === 'patch');
		const creates = indexed.filter((w) => w.write.kind === 'create');
		const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
		const caps = options.bulk === false || writes.length === 0 ? undefined : await this.p.capabilities().catch(() => undefined);
		if (caps?.bulk.supported && caps.bulk.maxOperations > 0) {
			for (const group of [patches, creates]) await this.writeInBulk(group, caps, options, settle);
			return outcomes;
		}
		const stop = options.shouldStop;
		for (const group of [patches, creates]) {
			await runPool(group, concurrency, async ({ write, index }) => {
				if (!stop?.()) settle(index, await this.writeOne(write, stop));
			});
		}
		return outcomes;
	}

	private async writeOne(write: UserWrite, stop?: StopSignal): Promise<WriteOutcome> {
		return write.kind === 'patch'
			? await this.patchUser(write.userId, write.operations, write.version, write.current, stop)
			: await this.createUser(write.draft, false, stop);
	}

	/** Chunks within maxOperations, bulkOperationsPerRequest and (with headroom for the envelope) maxPayloadSize. */
	private bulkChunks(entries: BulkEntry[], caps: PlekCapabilities, perRequest: number): BulkEntry[][] {
		const maxOps = Math.max(1, Math.min(caps.bulk.maxOperations, perRequest));
		const maxBytes = caps.bulk.maxPayloadSize > 0 ? caps.bulk.maxPayloadSize * 0.9 : Infinity;
		const chunks: BulkEntry[][] = [];
		let current: BulkEntry[] = [];
		let bytes = 200;
		for (const entry of entries) {
			const size = JSON.stringify(entry.op).length + 2;
			if (current.length > 0 && (current.length >= maxOps || bytes + size > maxBytes)) {
				chunks.push(current);
				current = [];
				bytes = 200;
			}
			current.push(entry);
			bytes += size;
		}
		if (current.length > 0) chunks.push(current);
		return chunks;
	}

	private async writeInBulk(
		group: Array<{ write: UserWrite; index: number }>,
		caps: PlekCapabilities,
		options: UserWriteOptions,
		settle: (index: number, outcome: WriteOutcome) => void,
	): Promise<void> {
		const entries: BulkEntry[] = group.map(({ write, index }) => ({ index, write, op: bulkOperation(write, index) }));
		const chunks = this.bulkChunks(entries, caps, options.bulkOperationsPerRequest ?? DEFAULT_BULK_OPERATIONS);
		const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
		const stop = options.shouldStop;
		await runPool(chunks, concurrency, async (entriesOfChunk) => {
			if (stop?.()) return;
			let results: BulkOperationResult[] | undefined;
			let requestFailure: WriteFailure | undefined;
			try {
				results = await this.p.bulk(entriesOfChunk.map((e) => e.op), stop);
			} catch (error) {
				requestFailure = failureOf(error);
			}
			const byBulkId = new Map<string, BulkOperationResult>();
			for (const result of results ?? []) if (result && typeof result.bulkId === 'string') byBulkId.set(result.bulkId, result);
			// Settling may need lookups or single retries (after a lost bulk request): run those concurrently too.
			await runPool(entriesOfChunk, concurrency, async (entry, i) => {
				const result = results ? (byBulkId.get(entry.op.bulkId as string) ?? (byBulkId.size === 0 ? results[i] : undefined)) : undefined;
				settle(entry.index, await this.settleBulkEntry(entry.write, result, requestFailure, stop));
			});
		});
	}

	private async settleBulkEntry(
		write: UserWrite,
		result: BulkOperationResult | undefined,
		requestFailure: WriteFailure | undefined,
		stop?: StopSignal,
	): Promise<WriteOutcome> {
		const status = result ? bulkStatus(result) : undefined;
		if (result && status !== undefined && status >= 200 && status < 300) {
			if (write.kind === 'patch') return { outcome: 'updated' };
			const id = createdId(result);
			if (id) return { outcome: 'created', resource: { ...(write.draft as object), id } as ScimUser };
			// Created, but the id is not in the result: look it up.
			const found = await this.lookupCreated(write.draft);
			return found ? { outcome: 'created', resource: found } : await this.createUser(write.draft, false, stop);
		}
		const failure: WriteFailure = result
			? { outcome: 'failed', status, scimType: bulkDetail(result).scimType, detail: bulkDetail(result).detail ?? `bulk operation status ${String(result.status)}` }
			: (requestFailure ?? { outcome: 'failed', detail: 'the bulk response has no result for this operation' });
		const unknown = !result || status === undefined || outcomeUnknown(failure);
		if (write.kind === 'patch') {
			// Replace/add/remove of fixed values are idempotent: an unknown outcome is simply retried singly.
			// A 400 is retried singly too: that path knows PATCH dialects and refuses single attributes only.
			const alone = (unknown || failure.status === 400) && this.retry.mayResend('bulkOperationAlone', 0, stop);
			return alone ? await this.writeOne(write, stop) : failure;
		}
		return await this.settleBulkCreate(write, failure, unknown, stop);
	}

	private async settleBulkCreate(write: CreateWrite, failure: WriteFailure, unknown: boolean, stop?: StopSignal): Promise<WriteOutcome> {
		if (failure.status === 409) return await this.resolveCreateConflict(write.draft, failure);
		if (!unknown) return failure;
		// The POST may have been applied: look up by externalId first, create singly only when absent.
		const existing = await this.lookupCreated(write.draft);
		if (existing) return { outcome: 'created', resource: existing };
		return this.retry.mayResend('bulkOperationAlone', 0, stop) ? await this.createUser(write.draft, false, stop) : failure;
	}

	// ---- memberships ------------------------------------------------------------------------------------

	/** Chunks one after another (servers that read-modify-write the member list lose concurrent updates). */
	async changeMembers(change: MembershipChange, options: MembershipOptions = {}): Promise<UpdateOutcome[]> {
		const size = Math.max(1, Math.floor(options.membersPerRequest ?? DEFAULT_MEMBERS_PER_REQUEST));
		const stop = options.shouldStop;
		const write = (ids: string[]) =>
			change.kind === 'add' ? this.p.addGroupMembers(change.groupId, ids, stop) : this.p.removeGroupMembers(change.groupId, ids, stop);
		const outcomes: UpdateOutcome[] = [];
		for (const ids of chunk(change.userIds, size)) {
			if (options.shouldStop?.()) break;
			const first = await write(ids).then(
				(): UpdateOutcome => ({ outcome: 'updated' }),
				(error: unknown) => failureOf(error),
			);
			if (first.outcome === 'updated' || ids.length === 1) {
				outcomes.push(...ids.map(() => first));
			} else {
				// Isolate the member(s) Plek refuses: one bad member must not fail the other 99.
				for (const id of ids) {
					outcomes.push(await write([id]).then((): UpdateOutcome => ({ outcome: 'updated' }), (error: unknown) => failureOf(error)));
				}
			}
			options.onRequest?.(outcomes.slice(outcomes.length - ids.length));
		}
		return outcomes;
	}
}

function bulkOperation(write: UserWrite, index: number): BulkOperation {
	if (write.kind === 'create') return { method: 'POST', path: '/Users', bulkId: `create-${index}`, data: write.draft };
	const patch = write as PatchWrite;
	return {
		method: 'PATCH',
		path: userPath(patch.userId),
		bulkId: `patch-${index}`,
		...(patch.version ? { version: patch.version } : {}),
		data: patchBody(patch.operations),
	};
}

function bulkStatus(result: BulkOperationResult): number | undefined {
	const raw = result.status as unknown;
	const code = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown }).code : raw;
	const n = typeof code === 'number' ? code : typeof code === 'string' ? parseInt(code, 10) : NaN;
	return Number.isFinite(n) ? n : undefined;
}

function bulkDetail(result: BulkOperationResult): { detail?: string; scimType?: string } {
	const response = result.response as { detail?: unknown; scimType?: unknown } | undefined;
	return {
		detail: typeof response?.detail === 'string' ? response.detail : undefined,
		scimType: typeof response?.scimType === 'string' ? response.scimType : undefined,
	};
}

function createdId(result: BulkOperationResult): string | undefined {
	const response = result.response as { id?: unknown } | undefined;
	if (typeof response?.id === 'string' && response.id !== '') return response.id;
	if (typeof result.location === 'string') {
		const last = result.location.replace(/\/+$/, '').split('/').pop();
		if (last) return decodeURIComponent(last);
	}
	return undefined;
}
