// Provisioning on demand: the whole run is planned as usual (guards, protection and approval judged over all of
// it), then the plan is narrowed to some people - one person (Apply One Person) or the first N (Limit To First N
// People) - plus what their writes depend on: a manager created in this run is created first, a group created
// in this run is created first. The narrowed plan is applied by the ordinary executor. A filter over the plan,
// not a second planner: every write it keeps is one the full plan made.
import type { PlekDirectory, PlekUserRecord, UserWrite, WriteFailure, WriteOutcome } from '../types';
import { executePlan, needsGroups, recheckCreateConflicts } from './executor';
import { planSync } from './planner';
import { changesFromSteps } from './planner/changes';
import { membershipChangesOf } from './planner/views';
import { dependsOn, emptyActionCounts, type ExecuteOptions, type PlanCounts, type PlannedStep, type SyncOptions, type SyncPlan, type SyncResult } from './types';

/** Which people a run applies. */
export type RunScope = { kind: 'everyone' } | { kind: 'person'; query: string } | { kind: 'firstPeople'; limit: number };

const lower = (s: string) => s.toLowerCase();

/** The keys of the first `limit` people the plan writes to, in plan order. */
export function firstPeople(plan: Pick<SyncPlan, 'changes'>, limit: number): Set<string> {
	const keys = new Set<string>();
	for (const item of plan.changes) {
		if (keys.size >= limit) break;
		if (item.kind === 'user' && item.key !== undefined) keys.add(item.key);
	}
	return keys;
}

/** The steps of the chosen people and the creates they depend on (dependsOn: managers created in this run, new
 * groups). */
function keptSteps(steps: readonly PlannedStep[], keys: ReadonlySet<string>): { steps: PlannedStep[]; dependencies: Set<string> } {
	const otherCreates = new Set<string>();
	const newGroups = new Set<string>();
	for (const step of steps) {
		if (step.kind === 'groupCreate' || !keys.has(step.key)) continue;
		for (const dependency of dependsOn(step)) {
			if (dependency.kind === 'groupCreate') newGroups.add(lower(dependency.groupName));
			else if (!keys.has(dependency.key)) otherCreates.add(dependency.key);
		}
	}
	const kept = steps.filter((step) => {
		if (step.kind === 'groupCreate') return newGroups.has(lower(step.displayName));
		if (keys.has(step.key)) return true;
		return step.kind === 'create' && otherCreates.has(step.key);
	});
	return { steps: kept, dependencies: otherCreates };
}

function countSteps(steps: readonly PlannedStep[], base: PlanCounts): PlanCounts {
	const counts: PlanCounts = { ...base, ...emptyActionCounts() };
	for (const step of steps) counts[step.kind]++;
	return counts;
}

/**
 * The plan narrowed to `keys` and their dependencies. Guards, the fingerprint, approval and protection stay as the
 * full plan judged them; unchanged / skipped / conflict counts stay the full plan's (the Summary says what the
 * whole run would do), the write counts are the narrowed plan's.
 */
export function narrowPlan(plan: SyncPlan, keys: ReadonlySet<string>): SyncPlan & { dependencies: string[] } {
	const { steps, dependencies } = keptSteps(plan.steps, keys);
	const people = new Set([...keys, ...dependencies]);
	const identities = new Map(plan.changes.map((c) => [c.key, { userName: c.userName, displayName: c.displayName }]));
	const userChanges = plan.userChanges
		.filter((change) => keys.has(change.key) || (dependencies.has(change.key) && 'create' in change.target))
		.map((change) => (keys.has(change.key) ? change : { ...change, steps: change.steps.filter((s) => s.kind === 'create') }));
	return {
		...plan,
		steps,
		userChanges,
		membershipChanges: membershipChangesOf(steps),
		issues: plan.issues.filter((issue) => issue.key !== undefined && people.has(issue.key)),
		counts: countSteps(steps, plan.counts),
		changes: changesFromSteps(steps, (key) => identities.get(key)),
		decisions: (plan.decisions ?? []).filter((d) => d.key !== undefined && people.has(d.key)),
		dependencies: [...dependencies],
	};
}

export interface ScopedPlan {
	/** The plan as applied (narrowed for Apply One Person and Limit To First N People). */
	plan: SyncPlan;
	/** Everything the full plan would write. */
	fullPlan: Pick<SyncPlan, 'counts' | 'changes'>;
	scope: RunScope;
	/** Managers created first because a chosen person needs them. */
	dependencies: string[];
	/** Apply One Person: why nothing can be applied (no such person, several match). */
	problem?: string;
	startedAt: number;
	requestsBefore: number;
	/** The whole input and the options it was planned with: a create conflict re-plans its keys from them. */
	desired: readonly PlekUserRecord[];
	options: SyncOptions;
}

/** Reads Plek, plans the whole run and narrows the plan to the scope. */
export async function planScoped(
	desired: readonly PlekUserRecord[],
	directory: PlekDirectory,
	options: SyncOptions,
	scope: RunScope,
): Promise<ScopedPlan> {
	const startedAt = Date.now();
	const requestsBefore = directory.requestCount();
	const [users, groups] = await Promise.all([
		directory.listUsers(),
		needsGroups(options) ? directory.listGroups() : Promise.resolve([]),
	]);
	const planOptions = scope.kind === 'person' ? { ...options, explainKey: scope.query } : options;
	const plan = planSync(desired, { users, groups }, planOptions);
	const base = { fullPlan: plan, scope, dependencies: [] as string[], startedAt, requestsBefore, desired, options };
	if (scope.kind === 'everyone') return { ...base, plan };
	if (scope.kind === 'person') {
		const key = plan.explainTarget?.key;
		if (key === undefined) return { ...base, plan: narrowPlan(plan, new Set()), problem: plan.explainTarget?.note ?? `no person matches ${scope.query}` };
		const narrowed = narrowPlan(plan, new Set([key]));
		return { ...base, plan: narrowed, dependencies: narrowed.dependencies };
	}
	const narrowed = narrowPlan(plan, firstPeople(plan, scope.limit));
	return { ...base, plan: narrowed, dependencies: narrowed.dependencies };
}

/** One write as Plek answered it (Apply One Person shows each). */
export interface WriteRecord {
	step: 'create user' | 'patch user' | 'create group' | 'add to group' | 'remove from group';
	/** The person's mapping key, or the group's name. */
	about: string;
	outcome: WriteOutcome['outcome'];
	/** HTTP status of a refused write (the transport's answer); absent for a write Plek accepted. */
	httpStatus?: number;
	detail?: string;
}

function record(log: WriteRecord[], step: WriteRecord['step'], about: string, outcome: WriteFailure | { outcome: 'created' | 'alreadyExisted' | 'updated' }): void {
	const entry: WriteRecord = { step, about, outcome: outcome.outcome };
	if (outcome.outcome === 'failed') {
		if (outcome.status !== undefined) entry.httpStatus = outcome.status;
		entry.detail = outcome.detail;
	}
	log.push(entry);
}

/** The directory as the executor sees it, noting every write's outcome in `log` (reads pass through). */
export function recordingDirectory(directory: PlekDirectory, plan: SyncPlan, log: WriteRecord[]): PlekDirectory {
	const keyOfId = new Map<string, string>();
	for (const step of plan.steps) if ('userId' in step && step.userId !== undefined && 'key' in step) keyOfId.set(step.userId, step.key);
	const aboutWrite = (write: UserWrite) =>
		write.kind === 'create' ? String(write.draft.externalId ?? write.draft.userName) : (keyOfId.get(write.userId) ?? write.userId);
	return {
		capabilities: () => directory.capabilities(),
		listUsers: () => directory.listUsers(),
		listGroups: () => directory.listGroups(),
		findUserByExternalId: (id) => directory.findUserByExternalId(id),
		findUserByUserName: (name) => directory.findUserByUserName(name),
		requestCount: () => directory.requestCount(),
		writeUsers: (writes, options = {}) =>
			directory.writeUsers(writes, {
				...options,
				onSettled: (index, outcome) => {
					// A user created now joins groups by its new id: name it by its key there too.
					if (outcome.outcome === 'created' && writes[index].kind === 'create') keyOfId.set(outcome.resource.id, aboutWrite(writes[index]));
					record(log, writes[index].kind === 'create' ? 'create user' : 'patch user', aboutWrite(writes[index]), outcome);
					options.onSettled?.(index, outcome);
				},
			}),
		ensureGroup: async (name) => {
			const outcome = await directory.ensureGroup(name);
			record(log, 'create group', name, outcome);
			return outcome;
		},
		changeMembers: async (change, options) => {
			const outcomes = await directory.changeMembers(change, options);
			outcomes.forEach((outcome, i) => record(log, change.kind === 'add' ? 'add to group' : 'remove from group', keyOfId.get(change.userIds[i]) ?? change.userIds[i], outcome));
			return outcomes;
		},
	};
}

/** Applies a scoped plan (blocked and stopped runs reject as executePlan's do). */
export async function applyScoped(scoped: ScopedPlan, directory: PlekDirectory, options: ExecuteOptions): Promise<SyncResult> {
	const result = await executePlan(scoped.plan, directory, options);
	const baseline = { startedAt: scoped.startedAt, requests: scoped.requestsBefore };
	return await recheckCreateConflicts(result, scoped.desired, directory, { ...scoped.options, ...options }, baseline);
}

/** The Summary's requests and duration from before the reads, as syncOnce counts them (also for a blocked or
 * stopped run's result). */
export function countReads(scoped: ScopedPlan | undefined, directory: PlekDirectory, result: SyncResult): void {
	if (!scoped) return;
	result.summary.requests = directory.requestCount() - scoped.requestsBefore;
	result.summary.durationMs = Date.now() - scoped.startedAt;
}
