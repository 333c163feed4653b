// The plan (planner output, executor input) and the sync result (executor output, Sync node outputs).
// Free of n8n and of I/O.

import type { GuardLimitOption } from './planner/guards';
import type { ActionCounts, AttributeChange, BlockedInfo, Decision, ExplainTarget, GroupMembershipChange, PlanIssue, PlannedStep, ProtectedMatch, StepKind, StoppedInfo, UserChange } from './model';

export * from './model';
export type { GuardLimitOption } from './planner/guards';

export type AdoptMode = 'off' | 'userName' | 'email' | 'userNameOrEmail';

export interface SyncOptions extends LifecycleSyncOptions {
	/** Create users whose key is not in Plek. Default true. */
	create?: boolean;
	/** PATCH changed attributes of managed users. Default true. */
	update?: boolean;
	/** Deactivate managed users the source marks inactive (and, with deactivateMissing, missing ones). Default true. */
	deactivate?: boolean;
	/** Reactivate managed users that are inactive in Plek but active in the source. Default true. */
	reactivate?: boolean;
	/** Apply group rules (record.groups). Default true. */
	groups?: boolean;
	/** Deactivate managed users (with an externalId) whose key is not in the input. Default false. */
	deactivateMissing?: boolean;
	/** Adopt an unmanaged Plek account (no externalId) with the same userName / e-mail instead of creating a
	 * duplicate. Default 'off'. */
	adoptUnmanaged?: AdoptMode;
	/** An empty source value removes the Plek value. Default false (empty source values are ignored). */
	clearEmptyValues?: boolean;
	/** Remove members from rule-managed groups when the rules no longer put them there. Default false (add only). */
	removeFromRuleGroups?: boolean;
	/** Create groups named by the rules that do not exist in Plek. Default false (reported as an issue). */
	createMissingGroups?: boolean;
	/** Groups the rules manage besides those named in any record's groups (matters for removeFromRuleGroups:
	 * a group no record names any more is still managed when listed here). */
	managedGroups?: string[];
	/** Most deactivations a run may plan; over it the plan is blocked. Default 25. Negative: no limit. */
	maxDeactivations?: number;
	/** Most deactivations as a percentage of managed active Plek users; over it the plan is blocked.
	 * Default 10. Negative: no limit. */
	maxDeactivationPercent?: number;
	/** When the input holds fewer records than this ratio of the managed active Plek users (or is empty), a plan
	 * with deactivations is blocked. Default 0.5. 0: off. */
	minSourceRatio?: number;
	/** Record the step-by-step decision for this mapping key in plan.explanation. */
	explainKey?: string;
	/** Limits deactivateMissing (and the guards' base) to one part of the organisation, so parts can sync in
	 * separate runs: members of a Plek group, or users whose attribute (a SCIM path) equals a value. */
	missingScope?: MissingScope;
}

/** The limits of the guards beyond deactivations, one option per entry of the guard list (planner/guards.ts: GUARDS
 * holds each one's default, words and description). Negative: no limit. */
export type GuardLimitOptions = { [option in GuardLimitOption]?: number };



/** One part of the organisation (planner/scope.ts). */
export type MissingScope = { group: string } | { attribute: string; value: string };

/** Options of the life-cycle rules (defaults and resolution: planner/options.ts, DEFAULT_LIFECYCLE_OPTIONS). */
export interface LifecycleSyncOptions extends GuardLimitOptions {
	/** userNames, e-mail addresses, Plek ids or externalIds of Plek accounts the sync never deactivates, changes or regroups. Default []. */
	protectedAccounts?: string[];
	/** A Plek group whose members the sync never touches. Default '' (none). */
	protectedGroup?: string;
	/** More such groups (the Plek credential's Protected Group): they add to protectedGroup. Default []. */
	protectedGroups?: string[];
	/** A plan fingerprint an admin approved: applied (even over a guard) only if the plan now has it. */
	approvePlan?: string;
	/** The Plek environment (the credential's host) an approval is bound to: a fingerprint approved for one
	 * environment never applies to another. Default '' (none; the Sync node always sets it). */
	environment?: string;
	/** How long an approval stays valid, in hours from the minute its fingerprint was issued. Default 24. */
	approvalValidHours?: number;
	/** Approvals already applied (fingerprint -> ISO time), e.g. from the workflow's static data: an approval applies
	 * its plan once; a replay is refused. */
	appliedApprovals?: Readonly<Record<string, string>>;
	/** An input without people is not an error (a feed of changes only). Default false (the Sync node fails). */
	allowEmptySource?: boolean;
	/** Create Pre-hires: create people whose startDate is at most this many days away as inactive accounts
	 * (activated on the start date). Default -1 (off: nobody is created before the start date). */
	preHireDays?: number;
	/** The time zone "today" is taken in for start dates (IANA). Default Europe/Amsterdam. */
	timeZone?: string;
	/** The clock (a Date, ISO text or ms) start dates are compared with; default the current time, read once per
	 * plan and only when some record has a startDate. Tests and previews move time with it. */
	now?: Date | string | number;
}

export type ResolvedSyncOptions = Required<Omit<SyncOptions, 'explainKey' | 'missingScope' | keyof LifecycleSyncOptions>> & {
	explainKey?: string;
	missingScope?: MissingScope;
};

export const DEFAULT_SYNC_OPTIONS: Readonly<Required<Omit<SyncOptions, 'explainKey' | 'missingScope' | keyof LifecycleSyncOptions>>> = Object.freeze({
	create: true,
	update: true,
	deactivate: true,
	reactivate: true,
	groups: true,
	deactivateMissing: false,
	adoptUnmanaged: 'off' as AdoptMode,
	clearEmptyValues: false,
	removeFromRuleGroups: false,
	createMissingGroups: false,
	managedGroups: [] as string[],
	maxDeactivations: 25,
	maxDeactivationPercent: 10,
	minSourceRatio: 0.5,
});

/** One count per step kind (model.ts: STEP_KINDS; `manager`: managers set after the creates), and per outcome. */
export interface PlanCounts extends ActionCounts {
	/** Records whose Plek user needs no change. */
	unchanged: number;
	/** Records left alone on purpose: leavers not in Plek, actions switched off. */
	skipped: number;
	conflicts: number;
	invalid: number;
}


/** One item per user (or group) written or planned: the Sync node's "Changes" output. */
export interface ChangeItem {
	kind: 'user' | 'group';
	/** Mapping key (user changes). */
	key?: string;
	userId?: string;
	userName?: string;
	/** The person's name: the record's displayName / name, else Plek's. */
	displayName?: string;
	/** Group changes: the group created. */
	groupName?: string;
	/** The person is active and leaves on this date (YYYY-MM-DD, after today): the record's leaveDate. */
	leavesOn?: string;
	actions: StepKind[];
	/** notAttempted: the failure breaker stopped the run before any of its writes was sent. */
	status: 'planned' | 'done' | 'failed' | 'partial' | 'notAttempted';
	/** Before/after of each changed attribute (externalId for adoption, active for (de/re)activation). */
	attributes: AttributeChange[];
	groups: { added: string[]; removed: string[] };
	/** Why a deactivation / reactivation happens. */
	reason?: string;
	/** When status is failed or partial. */
	error?: string;
}

export interface SyncPlan {
	/** Every planned step, flat, in plan order (what the counts and the Changes items are made of). */
	steps: PlannedStep[];
	/** The same writes as applied: one change per user ... */
	userChanges: UserChange[];
	/** ... and the membership changes per group and kind. */
	membershipChanges: GroupMembershipChange[];
	issues: PlanIssue[];
	counts: PlanCounts;
	/** Over a guard: the executor writes nothing. */
	blocked?: BlockedInfo;
	/** The decision trace for options.explainKey. */
	explanation?: string[];
	/** One item per user (or group) the plan would write. */
	changes: ChangeItem[];
	/** What options.explainKey (a mapping key, userName or e-mail) resolved to. */
	explainTarget?: ExplainTarget;
	/** The decisions everything above is derived from (one per record, missing user and group removal). */
	decisions?: Decision[];
	/** Stable name of exactly these writes (planner/fingerprint.ts): approve it with the approvePlan option. */
	fingerprint?: string;
	/** The approvePlan fingerprint matched: applied even over a guard. */
	approved?: boolean;
	/** Protected accounts the plan would have written to (their writes were dropped). */
	protectedAccounts?: ProtectedMatch[];
}

export interface IssueItem extends PlanIssue {
	/** HTTP status of a failed write, when there was one. */
	status?: number;
	scimType?: string;
}

export interface SyncSummary {
	dryRun: boolean;
	/** The guard message when the plan was blocked (nothing written). */
	blocked?: string;
	planned: ActionCounts;
	done: ActionCounts;
	unchanged: number;
	skipped: number;
	/** Planned creates (users and groups) that Plek already had (a 409 resolved by lookup, e.g. an overlapping
	 * run); not in done. */
	alreadyExisted: number;
	/** Writes (steps) that failed. */
	failed: number;
	conflicts: number;
	invalid: number;
	/** HTTP requests made while applying (directory.requestCount() delta; includes reads by syncOnce). */
	requests: number;
	durationMs: number;
	/** The plan's fingerprint (see SyncPlan.fingerprint); with approved: the approvePlan fingerprint matched. */
	fingerprint?: string;
	approved?: boolean;
	/** A blocked plan: the first people it would write to (deactivations first). */
	firstAffected?: string[];
	/** Protected accounts the rules would have changed: how many, and the first few. */
	protected?: { count: number; accounts: string[] };
	/** The failure breaker stopped writing (core/sync/breaker.ts); the not-attempted writes are Issues. */
	stopped?: StoppedInfo;
	/** Keys planned again after their create met an account the listing did not show (core/sync/recheck.ts). */
	rechecked?: number;
}

export interface SyncResult {
	summary: SyncSummary;
	changes: ChangeItem[];
	issues: IssueItem[];
	explanation?: string[];
	/** What options.explainKey (a mapping key, userName or e-mail) resolved to: the Sync node shows that person. */
	explainTarget?: ExplainTarget;
}

export interface ExecuteOptions {
	/** Write nothing; the result echoes the plan. Default false. */
	dryRun?: boolean;
	/** Most writes in flight at once. Default 4. */
	concurrency?: number;
	/** 'auto': SCIM Bulk for user creates/patches when Plek advertises it. Default 'auto'. */
	useBulk?: 'auto' | 'never';
	/** Group members per membership PATCH. Default 100. */
	membersPerRequest?: number;
	/** Most operations per Bulk request (also capped by Plek's maxOperations). Default 100: a Bulk request lost
	 * on the network costs one lookup per create in it. */
	bulkOperationsPerRequest?: number;
	/** Failure breaker: stop writing when more than this percentage of the writes so far failed. Default 40;
	 * 100 never stops. */
	stopFailurePercent?: number;
	/** Failure breaker: writes answered before the percentage is checked. Default 20. */
	stopMinWrites?: number;
	onProgress?: (progress: SyncProgress) => void;
}

/** The executor's defaults (the one place they live; the Sync node reads them). */
export const DEFAULT_EXECUTE_OPTIONS: Readonly<Required<Omit<ExecuteOptions, 'onProgress'>>> = Object.freeze({
	dryRun: false,
	concurrency: 4,
	useBulk: 'auto' as const,
	membersPerRequest: 100,
	bulkOperationsPerRequest: 100,
	stopFailurePercent: 40,
	stopMinWrites: 20,
});

export interface SyncProgress {
	phase: 'users' | 'groups' | 'memberships';
	done: number;
	total: number;
}
