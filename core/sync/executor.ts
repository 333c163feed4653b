// The sync executor: applies a plan through a PlekDirectory (the transport), like `terraform apply`.
//
// - A blocked plan writes nothing (executePlan throws SyncBlockedError; in dry run it returns the plan).
// - Dry run writes nothing and echoes the plan as the result.
// - Order: user PATCHes (adopt / update / deactivate / reactivate, merged into one PATCH per user), then user
//   creates, then group creates, then membership changes (users created in this run are resolved by key).
// - The transport paces, retries, chunks (Bulk, membership PATCHes) and resolves unknown outcomes (409, lost
//   responses); it hands back a typed outcome per write: created | alreadyExisted | updated | failed.
// - One failing user never stops the others; each failure becomes an issue with what to do.

import type { PatchOperation, PlekDirectory, PlekUserRecord, UserWrite, WriteFailure, WriteOutcome } from '../types';
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
	hint?: string;
}

function infoOf(failure: WriteFailure): ErrorInfo {
	return { status: failure.status, scimType: failure.scimType, message: failure.detail, hint: failure.hint };
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
	if (s === 429) return info.hint ?? 'Plek kept rate-limiting for longer than the rate-limit budget: raise Rate Limit Budget or lower Concurrency.';
	// Other 4xx: Plek refused this request as it is; running again would send the same.
	if (s !== undefined && s >= 400 && s < 500) return info.hint ?? `Plek refused this ${action} (HTTP ${s}); check the mapping and the Plek schema for the attributes in this change.`;
	return 'Plek was unavailable or the connection failed; run the sync again (it only writes what is still different).';
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

/** Members to add to (or remove from) one group. */
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

/** Runs `worker` over `items` with at most `limit` in flight. Workers must not throw. */
async function runPool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const size = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	const runners: Array<Promise<void>> = [];
	for (let r = 0; r < size; r++) {
		runners.push(
			(async () => {
				while (next < items.length) await worker(items[next++]);
			})(),
		);
	}
	await Promise.all(runners);
}

type ResolvedExecuteOptions = Required<Omit<ExecuteOptions, 'onProgress'>> & Pick<ExecuteOptions, 'onProgress'>;

class Run {
	readonly done = emptyActions();
	/** Creates (users and groups) that Plek already had: a 409 resolved by lookup, e.g. an overlapping run. */
	alreadyExisted = 0;
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
		readonly options: ResolvedExecuteOptions,
	) {}

	succeed(step: PlannedStep, outcome?: WriteOutcome['outcome']): void {
		if (outcome === 'alreadyExisted') this.alreadyExisted++;
		else this.done[step.kind]++;
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

	async applyUsers(patches: PatchJob[], creates: CreateStep[]): Promise<void> {
		const writes: UserWrite[] = [
			...patches.map((job): UserWrite => ({ kind: 'patch', userId: job.userId, operations: job.operations, version: job.version })),
			...creates.map((step): UserWrite => ({ kind: 'create', draft: step.user })),
		];
		let done = 0;
		await this.directory.writeUsers(writes, {
			concurrency: this.options.concurrency,
			bulk: this.options.useBulk === 'auto',
			bulkOperationsPerRequest: this.options.bulkOperationsPerRequest,
			onSettled: (index, outcome) => {
				if (index < patches.length) this.settlePatch(patches[index], outcome);
				else this.settleCreate(creates[index - patches.length], outcome);
				this.progress('users', ++done, writes.length);
			},
		});
	}

	settlePatch(job: PatchJob, outcome: WriteOutcome): void {
		if (outcome.outcome === 'failed') {
			this.fail(job.steps, job.key, job.steps.map((s) => s.kind).join('+'), infoOf(outcome), { userId: job.userId });
			return;
		}
		for (const step of job.steps) this.succeed(step);
	}

	settleCreate(step: CreateStep, outcome: WriteOutcome): void {
		if (outcome.outcome === 'failed') {
			this.fail([step], step.key, 'create', infoOf(outcome));
			return;
		}
		if ('resource' in outcome && outcome.resource) this.createdIds.set(step.key, outcome.resource.id);
		this.succeed(step, outcome.outcome);
	}

	// ---- groups ---------------------------------------------------------------------------------------------

	async applyGroupCreates(names: string[]): Promise<void> {
		let done = 0;
		const stepByName = new Map<string, PlannedStep>();
		for (const s of this.plan.steps) if (s.kind === 'groupCreate') stepByName.set(s.displayName, s);
		await runPool(names, this.options.concurrency, async (name) => {
			const step = stepByName.get(name) as PlannedStep;
			const outcome = await this.directory.ensureGroup(name);
			if (outcome.outcome === 'failed') {
				this.fail([step], undefined, 'groupCreate', infoOf(outcome), { groupName: name });
			} else {
				this.createdGroups.set(name.toLowerCase(), outcome.resource.id);
				this.succeed(step, outcome.outcome);
			}
			this.progress('groups', ++done, names.length);
		});
	}

	/** Resolves group and user ids; what cannot be resolved fails here, the rest is grouped per (group, kind). */
	membershipJobs(steps: GroupMemberStep[]): MembershipJob[] {
		const jobs = new Map<string, MembershipJob>();
		for (const step of steps) {
			const groupId = step.groupId ?? this.createdGroups.get(step.groupName.toLowerCase());
			const userId = 'userId' in step.userRef ? step.userRef.userId : this.createdIds.get(step.userRef.key);
			const refuse = (message: string, extra: Partial<IssueItem> = {}) =>
				this.fail([step], step.key, step.kind, { message }, { groupName: step.groupName, ...extra });
			if (groupId === undefined) {
				refuse(`group ${step.groupName} was not created`);
				continue;
			}
			if (userId === undefined) {
				refuse('the user was not created, so it cannot join the group');
				continue;
			}
			if (this.failedAdoptions.has(userId)) {
				refuse('the account was not adopted, and an unmanaged account is never changed', { userId });
				continue;
			}
			const jobKey = `${step.kind}\u0000${groupId}`;
			let job = jobs.get(jobKey);
			if (!job) {
				job = { kind: step.kind, groupId, groupName: step.groupName, members: [] };
				jobs.set(jobKey, job);
			}
			job.members.push({ step, userId });
		}
		return [...jobs.values()];
	}

	async applyMemberships(steps: GroupMemberStep[]): Promise<void> {
		// Groups run concurrently; the changes of one group run one after another (concurrent PATCHes of one group
		// invite lost updates on servers that read-modify-write the member list).
		const perGroup = new Map<string, MembershipJob[]>();
		for (const job of this.membershipJobs(steps)) perGroup.set(job.groupId, [...(perGroup.get(job.groupId) ?? []), job]);
		const size = this.options.membersPerRequest;
		const total = [...perGroup.values()].flat().reduce((n, job) => n + Math.ceil(job.members.length / size), 0);
		let done = 0;
		await runPool([...perGroup.values()], this.options.concurrency, async (jobs) => {
			for (const job of jobs) {
				const outcomes = await this.directory.changeMembers(
					{ groupId: job.groupId, kind: job.kind === 'groupAdd' ? 'add' : 'remove', userIds: job.members.map((m) => m.userId) },
					{ membersPerRequest: size, onRequest: () => this.progress('memberships', ++done, total) },
				);
				job.members.forEach((m, i) => {
					const outcome = outcomes[i];
					if (outcome?.outcome === 'updated') this.succeed(m.step);
					else {
						const info = outcome ? infoOf(outcome) : { message: 'the transport returned no outcome for this member' };
						this.fail([m.step], m.step.key, job.kind, info, { groupName: job.groupName, userId: m.userId });
					}
				});
			}
		});
	}
}

function resolveExecuteOptions(options: ExecuteOptions): ResolvedExecuteOptions {
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
			alreadyExisted: 0,
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
	if (patches.length + creates.length > 0) await r.applyUsers(patches, creates);
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
			alreadyExisted: r.alreadyExisted,
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
