// The sync executor: applies a plan through a PlekDirectory (the transport), like `terraform apply`.
//
// - A blocked plan writes nothing (executePlan throws SyncBlockedError; in dry run it returns the plan).
// - Dry run writes nothing and echoes the plan as the result.
// - Order: user PATCHes (adopt / update / deactivate / reactivate, merged into one PATCH per user), then user
//   creates, then group creates, then membership changes (users created in this run are resolved by key).
// - The transport paces, retries, chunks (Bulk, membership PATCHes) and resolves unknown outcomes (409, lost
//   responses); it hands back a typed outcome per write: created | alreadyExisted | updated | failed.
// - One failing user never stops the others; each failure becomes an issue with what to do. But when most writes
//   fail (breaker.ts: over stopFailurePercent after stopMinWrites), nothing new is sent: executePlan rejects with
//   SyncStoppedError, whose result names what was done, what failed and what was not attempted.

import type { AttributeRefusal, PlekDirectory, PlekUserRecord, UserWrite, WriteFailure, WriteOutcome } from '../types';
import { changesFromSteps, lifecycleSummary, planSync } from './planner';
import type { IdentifyKey } from './planner/changes';
import {
	DEFAULT_EXECUTE_OPTIONS,
	emptyActionCounts,
	STEP_KIND_LIST,
	type ActionCounts,
	type ChangeItem,
	type ExecuteOptions,
	type GroupMemberStep,
	type GroupMembershipChange,
	type IssueItem,
	type ManagerStep,
	type PlannedStep,
	type RunOutcomes,
	type SyncOptions,
	type SyncPlan,
	type SyncResult,
	type UserChange,
	type WriteResult,
} from './types';
import { runPool } from '../pool';
import { MANAGER_PATH } from './planner/managers';
import { createdGroupExternalId } from './planner/ownership';
import { CircuitBreaker, notAttemptedIssues, stoppedIssue, SyncStoppedError } from './breaker';
import { mergeRecheck, recheckFailed, recheckInput } from './recheck';

export { SyncStoppedError } from './breaker';

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


export interface Baseline {
	startedAt: number;
	requests: number;
}

interface ErrorInfo {
	status?: number;
	scimType?: string;
	message: string;
	hint?: string;
	/** A write this one waited for, which failed (a create before its group add or manager): what to do is that one's. */
	waitedFor?: { what: string; action: string; failure?: ErrorInfo };
}

function infoOf(failure: WriteFailure): ErrorInfo {
	return { status: failure.status, scimType: failure.scimType, message: failure.detail, hint: failure.hint };
}

/** A write that waited for a failed one: the advice of the failure it waited for (a 4xx is never "run again"). */
function dependentAdvice(waited: NonNullable<ErrorInfo['waitedFor']>): string {
	const first = waited.failure ? whatToDo(waited.failure, waited.action) : `Check ${waited.what} in Plek.`;
	return `This waited for ${waited.what}, which did not succeed; fix that first (its own Issue): ${first} Then the next sync makes this change too.`;
}

function whatToDo(info: ErrorInfo, action: string): string {
	if (info.waitedFor) return dependentAdvice(info.waitedFor);
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

/** The plan's write counts (one per step kind, model.ts STEP_KINDS). */
function plannedActions(plan: SyncPlan): ActionCounts {
	const planned = emptyActionCounts();
	for (const kind of STEP_KIND_LIST) planned[kind] = plan.counts[kind];
	return planned;
}

/** The Summary's done, already-existing and failed counts: a view of the outcomes recorded on the steps. */
function tallyOutcomes(outcomes: RunOutcomes): { done: ActionCounts; alreadyExisted: number; failed: number } {
	const tally = { done: emptyActionCounts(), alreadyExisted: 0, failed: 0 };
	for (const [step, result] of outcomes) {
		if (result.status === 'done') tally.done[step.kind]++;
		else if (result.status === 'alreadyExisted') tally.alreadyExisted++;
		else tally.failed++;
	}
	return tally;
}

/** Who each planned change is about (userName, display name), as the plan's Changes name them. */
function identities(plan: SyncPlan): IdentifyKey {
	const byKey = new Map<string, ChangeItem>();
	for (const item of plan.changes) if (item.key !== undefined) byKey.set(item.key, item);
	return (key) => byKey.get(key);
}

/** Members to add to (or remove from) one group. */
interface MembershipJob {
	kind: 'groupAdd' | 'groupRemove';
	groupId: string;
	groupName: string;
	members: Array<{ step: GroupMemberStep; userId: string }>;
}

type ResolvedExecuteOptions = Required<Omit<ExecuteOptions, 'onProgress'>> & Pick<ExecuteOptions, 'onProgress'>;

class Run {
	/** What became of each planned write, recorded on its step (the change set); a step without one was not attempted.
	 * The Summary's done / failed counts, the Changes items and the stop's not-attempted Issues are views of it. */
	readonly outcomes = new Map<PlannedStep, WriteResult>();
	readonly issues: IssueItem[] = [];
	readonly attributeIssues = new Map<string, IssueItem>();
	readonly createdIds = new Map<string, string>();
	readonly createdGroups = new Map<string, string>();
	/** Accounts whose adoption failed (by Plek id): still unmanaged, so their group steps are not applied. */
	readonly failedAdoptions = new Map<string, ErrorInfo>();
	/** Creates that failed, by key, and group creates, by lower-case name: what a write waiting for them says. */
	readonly failedCreates = new Map<string, ErrorInfo>();
	readonly failedGroups = new Map<string, ErrorInfo>();
	readonly breaker: CircuitBreaker;

	constructor(
		readonly plan: SyncPlan,
		readonly directory: PlekDirectory,
		readonly options: ResolvedExecuteOptions,
	) {
		this.breaker = new CircuitBreaker({ failurePercent: options.stopFailurePercent, minWrites: options.stopMinWrites });
	}

	readonly stopping = (): boolean => this.breaker.open;

	succeed(step: PlannedStep, outcome?: WriteOutcome['outcome'], userId?: string): void {
		this.outcomes.set(step, { status: outcome === 'alreadyExisted' ? 'alreadyExisted' : 'done', ...(userId !== undefined ? { userId } : {}) });
	}

	fail(steps: PlannedStep[], key: string | undefined, action: string, info: ErrorInfo, extra: Partial<IssueItem> = {}): void {
		for (const step of steps) {
			this.outcomes.set(step, { status: 'failed', error: info.message });
			if (step.kind === 'adopt') this.failedAdoptions.set(step.userId, info);
			if (step.kind === 'create') this.failedCreates.set(step.key, info);
			if (step.kind === 'groupCreate') this.failedGroups.set(step.displayName.toLowerCase(), info);
		}
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

	/** The plan's user changes as they are: PATCHes first (they may free userNames and adopt accounts), then creates. */
	async applyUsers(changes: readonly UserChange[]): Promise<void> {
		const patches = changes.filter((c) => 'userId' in c.target);
		const creates = changes.filter((c) => 'create' in c.target);
		const writes: UserWrite[] = [...patches, ...creates].map((c): UserWrite =>
			'create' in c.target
				? { kind: 'create', draft: c.target.create }
				: { kind: 'patch', userId: c.target.userId, operations: c.operations, version: c.version },
		);
		let done = 0;
		await this.writeUsers(writes, (index, outcome) => {
			if (index < patches.length) this.settlePatch(patches[index], outcome);
			else this.settleCreate(creates[index - patches.length], outcome);
			this.progress('users', ++done, writes.length);
		});
	}

	/** User writes as every phase sends them: the run's concurrency and Bulk setting, each answer counted by the breaker. */
	async writeUsers(writes: readonly UserWrite[], settle: (index: number, outcome: WriteOutcome) => void): Promise<void> {
		await this.directory.writeUsers(writes, {
			concurrency: this.options.concurrency,
			bulk: this.options.useBulk === 'auto',
			bulkOperationsPerRequest: this.options.bulkOperationsPerRequest,
			shouldStop: this.stopping,
			onSettled: (index, outcome) => {
				this.breaker.record(outcome);
				settle(index, outcome);
			},
		});
	}

	settlePatch(change: UserChange, outcome: WriteOutcome): void {
		const userId = 'userId' in change.target ? change.target.userId : undefined;
		if (outcome.outcome === 'failed') {
			this.fail(change.steps, change.key, change.steps.map((s) => s.kind).join('+'), infoOf(outcome), { userId });
			return;
		}
		for (const step of change.steps) this.succeed(step);
		if (outcome.outcome === 'updated') for (const refusal of outcome.notApplied ?? []) this.reportAttribute(refusal, change.key);
	}

	/** An attribute Plek refuses or drops: one Issue per attribute and run, counting the users it concerns. */
	reportAttribute(refusal: AttributeRefusal, key: string): void {
		const existing = this.attributeIssues.get(refusal.attribute);
		if (existing) {
			existing.count = (existing.count ?? 1) + 1;
			return;
		}
		const issue: IssueItem = {
			type: 'failed',
			key,
			action: 'update',
			status: refusal.status,
			scimType: refusal.scimType,
			count: 1,
			reason:
				refusal.reason === 'dropped'
					? `Plek accepts ${refusal.attribute} but does not store it, so it can never converge: ${refusal.detail}`
					: `Plek refuses ${refusal.attribute} (HTTP ${refusal.status ?? '?'}${refusal.scimType ? `, ${refusal.scimType}` : ''}): ${refusal.detail}`,
			whatToDo: `Remove ${refusal.attribute} from the mapping, or check the Plek schema for it; the rest of each user's change was applied.`,
		};
		this.attributeIssues.set(refusal.attribute, issue);
		this.issues.push(issue);
	}

	settleCreate(change: UserChange, outcome: WriteOutcome): void {
		if (outcome.outcome === 'failed') {
			this.fail(change.steps, change.key, 'create', infoOf(outcome));
			return;
		}
		const userId = 'resource' in outcome && outcome.resource ? outcome.resource.id : undefined;
		if (userId !== undefined) this.createdIds.set(change.key, userId);
		for (const step of change.steps) this.succeed(step, outcome.outcome, userId);
	}

	// ---- managers created in this run (planner/managers.ts) ----------------------------------------------

	/** After the creates: each manager step is one PATCH of the whole manager value, ids resolved by key. */
	async applyManagers(steps: readonly ManagerStep[]): Promise<void> {
		const ready: Array<{ step: ManagerStep; write: UserWrite }> = [];
		for (const step of steps) {
			const userId = this.idOf(step.userRef);
			const managerId = this.idOf(step.managerRef);
			if (userId === undefined || managerId === undefined) {
				const who = userId === undefined ? 'the user was not created' : `manager ${JSON.stringify(step.managerKey)} was not created`;
				const waitedFor = userId === undefined ? this.createOf(step.key) : this.createOf(step.managerKey, `the create of manager ${JSON.stringify(step.managerKey)}`);
				this.fail([step], step.key, 'manager', { message: `${who}, so the manager cannot be set`, waitedFor });
				continue;
			}
			ready.push({ step, write: { kind: 'patch', userId, operations: [{ op: 'replace', path: MANAGER_PATH, value: { value: managerId } }] } });
		}
		await this.writeUsers(
			ready.map((r) => r.write),
			(index, outcome) => {
				const { step } = ready[index];
				if (outcome.outcome === 'failed') this.fail([step], step.key, 'manager', infoOf(outcome));
				else this.succeed(step);
			},
		);
	}

	/** The create a write waits for, with its failure when it failed. */
	createOf(key: string, what = 'the create of this person'): NonNullable<ErrorInfo['waitedFor']> {
		return { what, action: 'create', failure: this.failedCreates.get(key) };
	}

	idOf(ref: ManagerStep['userRef']): string | undefined {
		return 'userId' in ref ? ref.userId : this.createdIds.get(ref.key);
	}

	// ---- groups ---------------------------------------------------------------------------------------------

	async applyGroupCreates(names: string[]): Promise<void> {
		let done = 0;
		const stepByName = new Map<string, PlannedStep>();
		for (const s of this.plan.steps) if (s.kind === 'groupCreate') stepByName.set(s.displayName, s);
		await runPool(names, this.options.concurrency, async (name) => {
			if (this.breaker.open) return;
			const step = stepByName.get(name) as PlannedStep;
			const outcome = await this.directory.ensureGroup(name, createdGroupExternalId(name));
			this.breaker.record(outcome);
			if (outcome.outcome === 'failed') {
				this.fail([step], undefined, 'groupCreate', infoOf(outcome), { groupName: name });
			} else {
				this.createdGroups.set(name.toLowerCase(), outcome.resource.id);
				this.succeed(step, outcome.outcome);
			}
			this.progress('groups', ++done, names.length);
		});
	}

	/** Resolves the group id (a group created in this run) and the user ids (users created in this run) of one
	 * planned membership change; members that cannot be resolved fail here, the rest is applied as planned. */
	resolveMembers(change: GroupMembershipChange): MembershipJob | undefined {
		const groupId = change.groupId ?? this.createdGroups.get(change.groupName.toLowerCase());
		const members: MembershipJob['members'] = [];
		for (const step of change.members) {
			const userId = 'userId' in step.userRef ? step.userRef.userId : this.createdIds.get(step.userRef.key);
			const refuse = (message: string, waitedFor: ErrorInfo['waitedFor'], extra: Partial<IssueItem> = {}) =>
				this.fail([step], step.key, step.kind, { message, waitedFor }, { groupName: step.groupName, ...extra });
			if (groupId === undefined) {
				const failure = this.failedGroups.get(change.groupName.toLowerCase());
				refuse(`group ${step.groupName} was not created`, { what: `the create of group ${JSON.stringify(step.groupName)}`, action: 'groupCreate', failure });
			} else if (userId === undefined) refuse('the user was not created, so it cannot join the group', this.createOf(step.key));
			else if (this.failedAdoptions.has(userId)) {
				const failure = this.failedAdoptions.get(userId);
				refuse('the account was not adopted, and an unmanaged account is never changed', { what: 'the adoption of this account', action: 'adopt', failure }, { userId });
			} else members.push({ step, userId });
		}
		if (groupId === undefined || members.length === 0) return undefined;
		return { kind: change.kind, groupId, groupName: change.groupName, members };
	}

	/** One membership chunk answered: its members count for the breaker. */
	chunkDone(outcomes: readonly WriteOutcome[], done: number, total: number): void {
		for (const outcome of outcomes) this.breaker.record(outcome);
		this.progress('memberships', done, total);
	}

	async applyMemberships(changes: readonly GroupMembershipChange[]): Promise<void> {
		// Groups run concurrently; the changes of one group run one after another (concurrent PATCHes of one group
		// invite lost updates on servers that read-modify-write the member list).
		const perGroup = new Map<string, MembershipJob[]>();
		for (const change of changes) {
			const job = this.resolveMembers(change);
			if (job) perGroup.set(job.groupId, [...(perGroup.get(job.groupId) ?? []), job]);
		}
		const size = this.options.membersPerRequest;
		const total = [...perGroup.values()].flat().reduce((n, job) => n + Math.ceil(job.members.length / size), 0);
		let done = 0;
		await runPool([...perGroup.values()], this.options.concurrency, async (jobs) => {
			for (const job of jobs) {
				if (this.breaker.open) return;
				const outcomes = await this.directory.changeMembers(
					{ groupId: job.groupId, kind: job.kind === 'groupAdd' ? 'add' : 'remove', userIds: job.members.map((m) => m.userId) },
					{ membersPerRequest: size, onRequest: (chunk) => this.chunkDone(chunk, ++done, total), shouldStop: this.stopping },
				);
				job.members.forEach((m, i) => {
					const outcome = outcomes[i];
					if (outcome === undefined && this.breaker.open) return; // a chunk the stop left unsent
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

const atLeastOne = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 1 ? Math.floor(value) : fallback);

function resolveExecuteOptions(options: ExecuteOptions): ResolvedExecuteOptions {
	const d = DEFAULT_EXECUTE_OPTIONS;
	return {
		dryRun: options.dryRun === true,
		bulkOperationsPerRequest: atLeastOne(options.bulkOperationsPerRequest, d.bulkOperationsPerRequest),
		concurrency: atLeastOne(options.concurrency, d.concurrency),
		useBulk: options.useBulk === 'never' ? 'never' : d.useBulk,
		membersPerRequest: atLeastOne(options.membersPerRequest, d.membersPerRequest),
		stopFailurePercent: typeof options.stopFailurePercent === 'number' && options.stopFailurePercent >= 0 ? options.stopFailurePercent : d.stopFailurePercent,
		stopMinWrites: typeof options.stopMinWrites === 'number' && options.stopMinWrites >= 0 ? Math.floor(options.stopMinWrites) : d.stopMinWrites,
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
			done: emptyActionCounts(),
			unchanged: plan.counts.unchanged,
			skipped: plan.counts.skipped,
			alreadyExisted: 0,
			failed: 0,
			conflicts: plan.counts.conflicts,
			invalid: plan.counts.invalid,
			requests: directory.requestCount() - baseline.requests,
			durationMs: Date.now() - baseline.startedAt,
			...lifecycleSummary(plan),
		},
		changes: plan.changes.map((c) => ({ ...c, status: 'planned' as const })),
		issues,
		...(plan.explanation ? { explanation: plan.explanation } : {}),
		...(plan.explainTarget ? { explainTarget: plan.explainTarget } : {}),
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

	// Phases in order: users (PATCHes, then creates), group creates, memberships. The plan is applied as it is.
	const r = new Run(plan, directory, options);
	if (plan.userChanges.length > 0) await r.applyUsers(plan.userChanges);
	const groupNames = plan.steps.flatMap((s) => (s.kind === 'groupCreate' ? [s.displayName] : []));
	const managers = plan.steps.filter((s): s is ManagerStep => s.kind === 'manager');
	if (managers.length > 0 && !r.breaker.open) await r.applyManagers(managers);
	if (groupNames.length > 0 && !r.breaker.open) await r.applyGroupCreates(groupNames);
	if (plan.membershipChanges.length > 0 && !r.breaker.open) await r.applyMemberships(plan.membershipChanges);

	const tally = tallyOutcomes(r.outcomes);
	const result: SyncResult = {
		summary: {
			dryRun: false,
			planned: plannedActions(plan),
			done: tally.done,
			unchanged: plan.counts.unchanged,
			skipped: plan.counts.skipped,
			alreadyExisted: tally.alreadyExisted,
			failed: tally.failed,
			conflicts: plan.counts.conflicts,
			invalid: plan.counts.invalid,
			requests: directory.requestCount() - baseline.requests,
			durationMs: Date.now() - baseline.startedAt,
			...lifecycleSummary(plan),
		},
		changes: changesFromSteps(plan.steps, identities(plan), r.outcomes),
		issues: [...plan.issues, ...r.issues],
		...(plan.explanation ? { explanation: plan.explanation } : {}),
		...(plan.explainTarget ? { explainTarget: plan.explainTarget } : {}),
	};
	if (r.breaker.open) throw stoppedRun(result, plan, r);
	return result;
}

/** The breaker stopped the run: the Summary says why, Issues name every write that was not attempted. */
function stoppedRun(result: SyncResult, plan: SyncPlan, r: Run): SyncStoppedError {
	const notAttempted = notAttemptedIssues(plan.steps, plan.changes, (step) => r.outcomes.has(step));
	const unsent = plan.steps.filter((step) => !r.outcomes.has(step)).length;
	const stopped = r.breaker.stopped(unsent);
	result.summary.stopped = stopped;
	result.issues = [stoppedIssue(stopped), ...result.issues, ...notAttempted];
	return new SyncStoppedError(stopped.reason, result);
}

/**
 * Applies a plan. A blocked plan throws SyncBlockedError without writing (in dry run it returns the plan);
 * dry run returns the plan as the result without writing. Failures of single users become issues; the promise
 * rejects for a blocked plan, and with SyncStoppedError when the failure breaker stopped writing.
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
		// The protected group's members are needed even when group rules are off.
		needsGroups(options) ? directory.listGroups() : Promise.resolve([]),
	]);
	const plan = planSync(desired, { users, groups }, options);
	const result = await run(plan, directory, options, baseline);
	return await recheckCreateConflicts(result, desired, directory, options, baseline);
}

/**
 * After a run's writes: a create that met an account the listing did not show makes those keys planned again,
 * by the planner, against a fresh listing (core/sync/recheck.ts). Every way of applying a plan ends here.
 */
export async function recheckCreateConflicts(
	result: SyncResult,
	desired: readonly PlekUserRecord[],
	directory: PlekDirectory,
	options: SyncOptions & ExecuteOptions,
	baseline: Baseline,
): Promise<SyncResult> {
	const conflicts = directory.takeCreateConflicts?.() ?? [];
	if (conflicts.length === 0) return result;
	const recheck = async (): Promise<SyncResult> => {
		const [fresh, freshGroups] = await Promise.all([directory.listUsers(), needsGroups(options) ? directory.listGroups() : []]);
		const again = recheckInput(desired, conflicts, fresh);
		const recheckPlan = planSync(again.records, { users: again.users, groups: freshGroups }, { ...options, deactivateMissing: false });
		// A guard may block the re-check (adoptions are counted): then its plan is reported, nothing more is written.
		const second = await run(recheckPlan, directory, options, baseline).catch(async (error: unknown) =>
			error instanceof SyncBlockedError ? error.result : await Promise.reject(error),
		);
		return mergeRecheck(result, second, again.keys);
	};
	// The writes are done: a re-check that cannot read Plek leaves this run's result, naming the keys.
	return await recheck().catch((error: unknown) => recheckFailed(result, conflicts, error));
}

/** Groups are read when group rules are on, and always when a protected group must be known. */
export function needsGroups(options: SyncOptions): boolean {
	return options.groups !== false || Boolean(options.protectedGroup) || Boolean(options.protectedGroups?.length);
}
