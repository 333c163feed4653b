// The sync executor: applies a plan through a PlekDirectory (the transport), like `terraform apply`.
//
// - A blocked plan writes nothing (executePlan throws SyncBlockedError; in dry run it returns the plan).
// - Dry run writes nothing and echoes the plan as the result.
// - Order: user PATCHes (adopt / update / deactivate / reactivate, merged into one PATCH per user), then user
//   creates, then group creates, then membership changes (one PATCH per group and chunk of members; users created
//   in this run are resolved by key).
// - Bounded concurrency with a tiny promise pool (no timers: the transport paces and retries).
// - SCIM Bulk for user creates/patches when Plek advertises it (useBulk 'auto').
// - One failing user never stops the others; each failure becomes an issue with what to do.
// - A create whose outcome is unknown (network error, 5xx, 409, bulk failure) is resolved by looking the user
//   up by externalId, never by a blind second POST.

import { PATCH_OP_SCHEMA } from '../scimPath';
import type { BulkOperation, BulkOperationResult, PatchOperation, PlekCapabilities, PlekDirectory, PlekUserRecord, ScimUser } from '../types';
import { planSync } from './planner';
import type {
	ActionCounts,
	ChangeItem,
	CreateStep,
	ExecuteOptions,
	GroupMemberStep,
	IssueItem,
	PlannedStep,
	SyncOptions,
	SyncPlan,
	SyncResult,
	UserPatchStep,
} from './types';

/** Thrown by executePlan for a blocked plan (nothing was written). `result` holds the plan as a dry-run result. */
export class SyncBlockedError extends Error {
	constructor(
		message: string,
		readonly result: SyncResult,
	) {
		super(message);
		this.name = 'SyncBlockedError';
	}
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MEMBERS_PER_REQUEST = 100;
const DEFAULT_BULK_OPERATIONS = 100;

interface Baseline {
	startedAt: number;
	requests: number;
}

interface ErrorInfo {
	status?: number;
	scimType?: string;
	message: string;
}

function errorInfo(error: unknown): ErrorInfo {
	const e = (error ?? {}) as { status?: unknown; statusCode?: unknown; httpCode?: unknown; scimType?: unknown; message?: unknown };
	const rawStatus = e.status ?? e.statusCode ?? e.httpCode;
	const status = typeof rawStatus === 'number' ? rawStatus : typeof rawStatus === 'string' && /^\d{3}$/.test(rawStatus) ? Number(rawStatus) : undefined;
	return {
		status,
		scimType: typeof e.scimType === 'string' ? e.scimType : undefined,
		message: typeof e.message === 'string' && e.message !== '' ? e.message : String(error),
	};
}

/** A failure after which the write may or may not have happened. */
function outcomeUnknown(info: ErrorInfo): boolean {
	return info.status === undefined || info.status >= 500 || info.status === 408 || info.status === 429;
}

function whatToDo(info: ErrorInfo, action: string): string {
	const s = info.status;
	if (s === 400) return 'Plek refused a value: check the mapping of the attributes in this change (type, format, allowed values).';
	if (s === 401 || s === 403) return 'Check the Plek credential: the client needs permission to provision users and groups.';
	if (s === 404) return 'The user or group no longer exists in Plek; run the sync again to re-plan.';
	if (s === 409) {
		return action === 'create'
			? 'Another Plek account already has this userName or externalId: find it in Plek, then adopt it or change the userName.'
			: 'A uniqueness conflict in Plek (userName or externalId in use): resolve the duplicate, then run again.';
	}
	if (s === 412) return 'The user changed in Plek during the sync; run the sync again.';
	if (s === 413) return 'The request was too large for Plek; lower the batch size or disable bulk.';
	return 'Plek was unavailable, rate-limited or the connection failed; run the sync again (it only writes what is still different).';
}

/** Runs `worker` over `items` with at most `limit` in flight. Workers must not throw. */
async function runPool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const size = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	const runners: Array<Promise<void>> = [];
	for (let r = 0; r < size; r++) {
		runners.push(
			(async () => {
				while (next < items.length) {
					const item = items[next++];
					await worker(item);
				}
			})(),
		);
	}
	await Promise.all(runners);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
	return chunks;
}

function emptyActions(): ActionCounts {
	return { create: 0, update: 0, adopt: 0, deactivate: 0, reactivate: 0, groupCreate: 0, groupAdd: 0, groupRemove: 0 };
}

function plannedActions(plan: SyncPlan): ActionCounts {
	const c = plan.counts;
	return {
		create: c.create,
		update: c.update,
		adopt: c.adopt,
		deactivate: c.deactivate,
		reactivate: c.reactivate,
		groupCreate: c.groupCreate,
		groupAdd: c.groupAdd,
		groupRemove: c.groupRemove,
	};
}

/** Members to add to (or remove from) one group in one request. */
interface MembershipJob {
	kind: 'groupAdd' | 'groupRemove';
	groupId: string;
	groupName: string;
	members: Array<{ step: GroupMemberStep; userId: string }>;
}

/** One user's PATCH: the operations of all its user-level steps, in order adopt, update, (de/re)activate. */
interface PatchJob {
	key: string;
	userId: string;
	version?: string;
	steps: UserPatchStep[];
	operations: PatchOperation[];
}

function patchJobs(steps: readonly PlannedStep[]): PatchJob[] {
	const jobs = new Map<string, PatchJob>();
	const rank = { adopt: 0, update: 1, deactivate: 2, reactivate: 2 } as const;
	for (const step of steps) {
		if (step.kind !== 'adopt' && step.kind !== 'update' && step.kind !== 'deactivate' && step.kind !== 'reactivate') continue;
		let job = jobs.get(step.userId);
		if (!job) {
			job = { key: step.key, userId: step.userId, version: step.version, steps: [], operations: [] };
			jobs.set(step.userId, job);
		}
		job.steps.push(step);
	}
	for (const job of jobs.values()) {
		job.steps.sort((a, b) => rank[a.kind] - rank[b.kind]);
		job.operations = job.steps.flatMap((s) => s.operations);
	}
	return [...jobs.values()];
}

class Run {
	readonly done = emptyActions();
	readonly issues: IssueItem[] = [];
	readonly failedSteps = new Map<PlannedStep, string>();
	readonly createdIds = new Map<string, string>();
	readonly createdGroups = new Map<string, string>();
	/** Accounts whose adoption failed: still unmanaged, so their group steps are not applied. */
	readonly failedAdoptions = new Set<string>();
	failed = 0;

	constructor(
		readonly plan: SyncPlan,
		readonly directory: PlekDirectory,
		readonly options: Required<Omit<ExecuteOptions, 'onProgress'>> & Pick<ExecuteOptions, 'onProgress'>,
	) {}

	succeed(step: PlannedStep): void {
		this.done[step.kind]++;
	}

	fail(steps: PlannedStep[], key: string | undefined, action: string, info: ErrorInfo, extra: Partial<IssueItem> = {}): void {
		for (const step of steps) {
			this.failedSteps.set(step, info.message);
			if (step.kind === 'adopt') this.failedAdoptions.add(step.userId);
		}
		this.failed += steps.length;
		this.issues.push({
			type: 'failed',
			key,
			action,
			status: info.status,
			scimType: info.scimType,
			reason: `${action} failed${info.status ? ` (HTTP ${info.status}${info.scimType ? `, ${info.scimType}` : ''})` : ''}: ${info.message}`,
			whatToDo: whatToDo(info, action),
			...extra,
		});
	}

	progress(phase: 'users' | 'groups' | 'memberships', done: number, total: number): void {
		this.options.onProgress?.({ phase, done, total });
	}

	// ---- users ----------------------------------------------------------------------------------------------

	async patchOne(job: PatchJob): Promise<void> {
		try {
			await this.directory.patchUser(job.userId, job.operations, job.version);
			for (const step of job.steps) this.succeed(step);
		} catch (error) {
			this.fail(job.steps, job.key, job.steps.map((s) => s.kind).join('+'), errorInfo(error), { userId: job.userId });
		}
	}

	/** After an unknown outcome: did the user get created? */
	async lookup(key: string): Promise<ScimUser | undefined> {
		try {
			return await this.directory.findUserByExternalId(key);
		} catch {
			return undefined;
		}
	}

	async createOne(step: CreateStep, lookupFirst = false): Promise<void> {
		if (lookupFirst) {
			const existing = await this.lookup(step.key);
			if (existing) {
				this.createdIds.set(step.key, existing.id);
				this.succeed(step);
				return;
			}
		}
		let failure: ErrorInfo | undefined;
		try {
			const user = await this.directory.createUser(step.user);
			this.createdIds.set(step.key, user.id);
			this.succeed(step);
			return;
		} catch (error) {
			failure = errorInfo(error);
		}
		// The response may have been lost after Plek created the user (or a retried POST met the first one's
		// result as a 409): resolve by lookup, never by another POST.
		if (outcomeUnknown(failure) || failure.status === 409) {
			const existing = await this.lookup(step.key);
			if (existing) {
				this.createdIds.set(step.key, existing.id);
				this.succeed(step);
				return;
			}
		}
		this.fail([step], step.key, 'create', failure);
	}

	async applyUsersSingly(patches: PatchJob[], creates: CreateStep[]): Promise<void> {
		const total = patches.length + creates.length;
		let done = 0;
		await runPool(patches, this.options.concurrency, async (job) => {
			await this.patchOne(job);
			this.progress('users', ++done, total);
		});
		await runPool(creates, this.options.concurrency, async (step) => {
			await this.createOne(step);
			this.progress('users', ++done, total);
		});
	}

	async applyUsersInBulk(patches: PatchJob[], creates: CreateStep[], caps: PlekCapabilities): Promise<void> {
		type Entry = { op: BulkOperation; patch?: PatchJob; create?: CreateStep };
		const entries: Entry[] = [];
		patches.forEach((job, i) =>
			entries.push({
				patch: job,
				op: {
					method: 'PATCH',
					path: `/Users/${encodeURIComponent(job.userId)}`,
					bulkId: `patch-${i}`,
					...(job.version ? { version: job.version } : {}),
					data: { schemas: [PATCH_OP_SCHEMA], Operations: job.operations },
				},
			}),
		);
		creates.forEach((step, i) => entries.push({ create: step, op: { method: 'POST', path: '/Users', bulkId: `create-${i}`, data: step.user } }));

		// Chunks within maxOperations and (with headroom for the envelope) maxPayloadSize; patches before creates.
		const maxOps = Math.max(1, Math.min(caps.bulk.maxOperations, this.options.bulkOperationsPerRequest));
		const maxBytes = caps.bulk.maxPayloadSize > 0 ? caps.bulk.maxPayloadSize * 0.9 : Infinity;
		const chunks: Entry[][] = [];
		for (const group of [entries.filter((e) => e.patch), entries.filter((e) => e.create)]) {
			let current: Entry[] = [];
			let bytes = 200;
			for (const entry of group) {
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
		}

		const total = entries.length;
		let done = 0;
		const runChunk = async (entriesOfChunk: Entry[]) => {
			let results: BulkOperationResult[] | undefined;
			let bulkFailure: ErrorInfo | undefined;
			try {
				results = await this.directory.bulk(entriesOfChunk.map((e) => e.op));
			} catch (error) {
				bulkFailure = errorInfo(error);
			}
			const byBulkId = new Map<string, BulkOperationResult>();
			for (const result of results ?? []) if (result && typeof result.bulkId === 'string') byBulkId.set(result.bulkId, result);
			// Settling may need lookups or single retries (after a lost bulk request): run those concurrently too.
			const settled = entriesOfChunk.map((entry, i) => ({
				entry,
				result: results ? (byBulkId.get(entry.op.bulkId as string) ?? (byBulkId.size === 0 ? results[i] : undefined)) : undefined,
			}));
			await runPool(settled, this.options.concurrency, async ({ entry, result }) => {
				await this.settleBulkEntry(entry, result, bulkFailure);
				this.progress('users', ++done, total);
			});
		};
		// Patches first (they may free userNames and adopt accounts), then creates.
		const patchChunks = chunks.filter((c) => c[0].patch);
		const createChunks = chunks.filter((c) => c[0].create);
		await runPool(patchChunks, this.options.concurrency, runChunk);
		await runPool(createChunks, this.options.concurrency, runChunk);
	}

	async settleBulkEntry(
		entry: { patch?: PatchJob; create?: CreateStep },
		result: BulkOperationResult | undefined,
		bulkFailure: ErrorInfo | undefined,
	): Promise<void> {
		const status = result ? bulkStatus(result) : undefined;
		if (result && status !== undefined && status >= 200 && status < 300) {
			if (entry.patch) {
				for (const step of entry.patch.steps) this.succeed(step);
				return;
			}
			const create = entry.create as CreateStep;
			const id = createdId(result);
			if (id) {
				this.createdIds.set(create.key, id);
				this.succeed(create);
				return;
			}
			// Created, but the id is not in the result: look it up.
			await this.createOne(create, true);
			return;
		}
		const info: ErrorInfo = result
			? { status, scimType: bulkDetail(result).scimType, message: bulkDetail(result).detail ?? `bulk operation status ${String(result.status)}` }
			: (bulkFailure ?? { message: 'the bulk response has no result for this operation' });
		const unknown = !result || status === undefined || outcomeUnknown(info);
		if (entry.patch) {
			// Replace/add/remove of fixed values are idempotent: an unknown outcome is simply retried singly.
			if (unknown) await this.patchOne(entry.patch);
			else this.fail(entry.patch.steps, entry.patch.key, entry.patch.steps.map((s) => s.kind).join('+'), info, { userId: entry.patch.userId });
			return;
		}
		const create = entry.create as CreateStep;
		if (unknown || info.status === 409) {
			// The POST may have been applied: look up by externalId first, create singly only when absent.
			const existing = await this.lookup(create.key);
			if (existing) {
				this.createdIds.set(create.key, existing.id);
				this.succeed(create);
				return;
			}
			if (unknown) {
				await this.createOne(create);
				return;
			}
		}
		this.fail([create], create.key, 'create', info);
	}

	// ---- groups ---------------------------------------------------------------------------------------------

	async applyGroupCreates(names: string[]): Promise<void> {
		let done = 0;
		const stepByName = new Map<string, PlannedStep>();
		for (const s of this.plan.steps) if (s.kind === 'groupCreate') stepByName.set(s.displayName, s);
		await runPool(names, this.options.concurrency, async (name) => {
			const step = stepByName.get(name) as PlannedStep;
			try {
				const group = await this.directory.createGroup(name);
				this.createdGroups.set(name.toLowerCase(), group.id);
				this.succeed(step);
			} catch (error) {
				this.fail([step], undefined, 'groupCreate', errorInfo(error), { groupName: name });
			}
			this.progress('groups', ++done, names.length);
		});
	}

	async applyMemberships(steps: GroupMemberStep[]): Promise<void> {
		// Resolve group ids and user ids; group the rest per (group, add/remove).
		const batches = new Map<string, MembershipJob>();
		for (const step of steps) {
			const groupId = step.groupId ?? this.createdGroups.get(step.groupName.toLowerCase());
			const userId = 'userId' in step.userRef ? step.userRef.userId : this.createdIds.get(step.userRef.key);
			if (groupId === undefined) {
				this.fail([step], step.key, step.kind, { message: `group ${step.groupName} was not created` }, { groupName: step.groupName });
				continue;
			}
			if (userId === undefined) {
				this.fail([step], step.key, step.kind, { message: 'the user was not created, so it cannot join the group' }, { groupName: step.groupName });
				continue;
			}
			if (this.failedAdoptions.has(userId)) {
				this.fail([step], step.key, step.kind, { message: 'the account was not adopted, and an unmanaged account is never changed' }, { groupName: step.groupName, userId });
				continue;
			}
			const batchKey = `${step.kind}\u0000${groupId}`;
			let batch = batches.get(batchKey);
			if (!batch) {
				batch = { kind: step.kind, groupId, groupName: step.groupName, members: [] };
				batches.set(batchKey, batch);
			}
			batch.members.push({ step, userId });
		}
		// Groups run concurrently; the chunks of one group run one after another (concurrent PATCHes of one group
		// invite lost updates on servers that read-modify-write the member list).
		const perGroup = new Map<string, MembershipJob[]>();
		for (const batch of batches.values()) {
			const list = perGroup.get(batch.groupId) ?? [];
			for (const members of chunk(batch.members, this.options.membersPerRequest)) list.push({ ...batch, members });
			perGroup.set(batch.groupId, list);
		}
		const total = [...perGroup.values()].reduce((n, list) => n + list.length, 0);
		let done = 0;
		await runPool([...perGroup.values()], this.options.concurrency, async (groupJobs) => {
			for (const job of groupJobs) await this.applyMembershipChunk(job, () => this.progress('memberships', ++done, total));
		});
	}

	async applyMembershipChunk(
		job: MembershipJob,
		onDone: () => void,
	): Promise<void> {
		const write = (ids: string[]) =>
			job.kind === 'groupAdd' ? this.directory.addGroupMembers(job.groupId, ids) : this.directory.removeGroupMembers(job.groupId, ids);
		let failure: ErrorInfo | undefined;
		try {
			await write(job.members.map((m) => m.userId));
			for (const m of job.members) this.succeed(m.step);
		} catch (error) {
			failure = errorInfo(error);
		}
		if (failure) {
			if (job.members.length === 1) {
				const m = job.members[0];
				this.fail([m.step], m.step.key, job.kind, failure, { groupName: job.groupName, userId: m.userId });
			} else {
				// Isolate the member(s) Plek refuses: one bad member must not fail the other 99.
				for (const m of job.members) {
					try {
						await write([m.userId]);
						this.succeed(m.step);
					} catch (error) {
						this.fail([m.step], m.step.key, job.kind, errorInfo(error), { groupName: job.groupName, userId: m.userId });
					}
				}
			}
		}
		onDone();
	}
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

function resolveExecuteOptions(options: ExecuteOptions): Required<Omit<ExecuteOptions, 'onProgress'>> & Pick<ExecuteOptions, 'onProgress'> {
	const concurrency = typeof options.concurrency === 'number' && options.concurrency >= 1 ? Math.floor(options.concurrency) : DEFAULT_CONCURRENCY;
	const membersPerRequest =
		typeof options.membersPerRequest === 'number' && options.membersPerRequest >= 1 ? Math.floor(options.membersPerRequest) : DEFAULT_MEMBERS_PER_REQUEST;
	const bulkOperationsPerRequest =
		typeof options.bulkOperationsPerRequest === 'number' && options.bulkOperationsPerRequest >= 1
			? Math.floor(options.bulkOperationsPerRequest)
			: DEFAULT_BULK_OPERATIONS;
	return {
		dryRun: options.dryRun === true,
		bulkOperationsPerRequest,
		concurrency,
		useBulk: options.useBulk === 'never' ? 'never' : 'auto',
		membersPerRequest,
		onProgress: options.onProgress,
	};
}

function planOnlyResult(plan: SyncPlan, dryRun: boolean, directory: PlekDirectory, baseline: Baseline): SyncResult {
	const issues: IssueItem[] = [...plan.issues];
	if (plan.blocked) {
		issues.unshift({
			type: 'blocked',
			action: 'sync',
			reason: plan.blocked.reason,
			whatToDo: 'Check the source and the deactivation list in the plan (Dry Run). If the deactivations are intended, raise the option named in the reason.',
		});
	}
	return {
		summary: {
			dryRun,
			...(plan.blocked ? { blocked: plan.blocked.reason } : {}),
			planned: plannedActions(plan),
			done: emptyActions(),
			unchanged: plan.counts.unchanged,
			skipped: plan.counts.skipped,
			failed: 0,
			conflicts: plan.counts.conflicts,
			invalid: plan.counts.invalid,
			requests: directory.requestCount() - baseline.requests,
			durationMs: Date.now() - baseline.startedAt,
		},
		changes: plan.changes.map((c) => ({ ...c, status: 'planned' as const })),
		issues,
		...(plan.explanation ? { explanation: plan.explanation } : {}),
	};
}

async function run(plan: SyncPlan, directory: PlekDirectory, rawOptions: ExecuteOptions, baseline: Baseline): Promise<SyncResult> {
	const options = resolveExecuteOptions(rawOptions);
	if (plan.blocked) {
		const result = planOnlyResult(plan, options.dryRun, directory, baseline);
		if (options.dryRun) return result;
		throw new SyncBlockedError(plan.blocked.reason, result);
	}
	if (options.dryRun) return planOnlyResult(plan, true, directory, baseline);

	const r = new Run(plan, directory, options);
	const patches = patchJobs(plan.steps);
	const creates = plan.steps.filter((s): s is CreateStep => s.kind === 'create');
	if (patches.length + creates.length > 0) {
		let caps: PlekCapabilities | undefined;
		if (options.useBulk === 'auto') {
			try {
				caps = await directory.capabilities();
			} catch {
				caps = undefined;
			}
		}
		if (caps?.bulk?.supported && caps.bulk.maxOperations > 0) await r.applyUsersInBulk(patches, creates, caps);
		else await r.applyUsersSingly(patches, creates);
	}
	const groupNames = plan.steps.flatMap((s) => (s.kind === 'groupCreate' ? [s.displayName] : []));
	if (groupNames.length > 0) await r.applyGroupCreates(groupNames);
	const memberSteps = plan.steps.filter((s): s is GroupMemberStep => s.kind === 'groupAdd' || s.kind === 'groupRemove');
	if (memberSteps.length > 0) await r.applyMemberships(memberSteps);

	return {
		summary: {
			dryRun: false,
			planned: plannedActions(plan),
			done: r.done,
			unchanged: plan.counts.unchanged,
			skipped: plan.counts.skipped,
			failed: r.failed,
			conflicts: plan.counts.conflicts,
			invalid: plan.counts.invalid,
			requests: directory.requestCount() - baseline.requests,
			durationMs: Date.now() - baseline.startedAt,
		},
		changes: settleChanges(plan, r),
		issues: [...plan.issues, ...r.issues],
		...(plan.explanation ? { explanation: plan.explanation } : {}),
	};
}

/** The plan's change items with their outcome: done, failed or partial. */
function settleChanges(plan: SyncPlan, r: Run): ChangeItem[] {
	const stepsByKey = new Map<string, PlannedStep[]>();
	const groupCreateSteps = new Map<string, PlannedStep>();
	for (const step of plan.steps) {
		if (step.kind === 'groupCreate') {
			groupCreateSteps.set(step.displayName, step);
			continue;
		}
		const list = stepsByKey.get(step.key) ?? [];
		list.push(step);
		stepsByKey.set(step.key, list);
	}
	return plan.changes.map((item) => {
		const steps = item.kind === 'group' ? [groupCreateSteps.get(item.groupName as string) as PlannedStep] : (stepsByKey.get(item.key as string) ?? []);
		const errors = steps.map((s) => r.failedSteps.get(s)).filter((e): e is string => e !== undefined);
		const settled: ChangeItem = { ...item, status: errors.length === 0 ? 'done' : errors.length === steps.length ? 'failed' : 'partial' };
		if (item.kind === 'user' && item.key !== undefined && !item.userId) {
			const id = r.createdIds.get(item.key);
			if (id) settled.userId = id;
		}
		if (errors.length > 0) settled.error = [...new Set(errors)].join('; ');
		return settled;
	});
}

/**
 * Applies a plan. A blocked plan throws SyncBlockedError without writing (in dry run it returns the plan);
 * dry run returns the plan as the result without writing. Failures of single users become issues; the promise
 * rejects only for a blocked plan.
 */
export async function executePlan(plan: SyncPlan, directory: PlekDirectory, options: ExecuteOptions = {}): Promise<SyncResult> {
	return run(plan, directory, options, { startedAt: Date.now(), requests: directory.requestCount() });
}

/**
 * Reads Plek's users and groups (concurrently), plans, and applies: one complete sync run. The summary's
 * request count and duration include the reads.
 */
export async function syncOnce(
	desired: readonly PlekUserRecord[],
	directory: PlekDirectory,
	options: SyncOptions & ExecuteOptions = {},
): Promise<SyncResult> {
	const baseline = { startedAt: Date.now(), requests: directory.requestCount() };
	const [users, groups] = await Promise.all([
		directory.listUsers(),
		options.groups === false ? Promise.resolve([]) : directory.listGroups(),
	]);
	const plan = planSync(desired, { users, groups }, options);
	return run(plan, directory, options, baseline);
}
