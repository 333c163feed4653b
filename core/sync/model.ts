// The change set: what a plan decides per object and what the run did with it. A leaf module: it imports nothing
// of the planner, the executor or the breaker, so every one of them (and every view: counts, Changes, Explain,
// fingerprint, Summary, e-mail report) can import it without a cycle. `npm run lint` fails on an import cycle.
import type { ParsedUserRecord } from '../record';
import type { PatchOperation, ProfileValue, ScimUser, ScimUserDraft } from '../types';

/** One attribute (or group) that changes: before is Plek's value, after the value written. */
export interface AttributeChange {
	path: string;
	before: ProfileValue | undefined;
	after: ProfileValue | undefined;
}

/** Refers to a Plek user: an existing one by id, or one created in this run by its mapping key. */
export type UserRef = { userId: string } | { key: string };

export interface CreateStep {
	kind: 'create';
	key: string;
	/** The complete POST /Users body: schemas, externalId = key, userName, active, profile (createOnly included). */
	user: ScimUserDraft;
	/** Groups the rules put the new user in (each also has a groupAdd step). */
	groups: string[];
	changes: AttributeChange[];
}

export interface UpdateStep {
	kind: 'update';
	key: string;
	userId: string;
	userName?: string;
	version?: string;
	/** Plek's meta.lastModified: what binds an approval to the account when Plek gives no version (fingerprint.ts). */
	lastModified?: string;
	operations: PatchOperation[];
	changes: AttributeChange[];
}

export interface AdoptStep {
	kind: 'adopt';
	key: string;
	userId: string;
	userName?: string;
	version?: string;
	/** Plek's meta.lastModified: what binds an approval to the account when Plek gives no version (fingerprint.ts). */
	lastModified?: string;
	matchedBy: 'userName' | 'email';
	/** Sets externalId = key, plus the changed attributes. */
	operations: PatchOperation[];
	changes: AttributeChange[];
}

export interface ActivationStep {
	kind: 'deactivate' | 'reactivate';
	key: string;
	userId: string;
	userName?: string;
	version?: string;
	/** Plek's meta.lastModified: what binds an approval to the account when Plek gives no version (fingerprint.ts). */
	lastModified?: string;
	reason: 'inactive in source' | 'missing from source' | 'active in source';
	operations: PatchOperation[];
}

/** Sets the enterprise manager of a user when the manager is created in this run (planner/managers.ts): applied
 * after the creates, ids resolved by key. Other manager changes are ordinary attribute changes (create / update). */
export interface ManagerStep {
	kind: 'manager';
	key: string;
	/** The subordinate: an existing user by id, or one created in this run by key. */
	userRef: UserRef;
	/** The manager's mapping key, and the manager (created in this run: by key). */
	managerKey: string;
	managerRef: UserRef;
	/** Plek's manager before: the old manager's mapping key (or Plek id). */
	before?: string;
}

export interface GroupCreateStep {
	kind: 'groupCreate';
	displayName: string;
}

export interface GroupMemberStep {
	kind: 'groupAdd' | 'groupRemove';
	groupName: string;
	/** Absent for a group created in this run (resolved by name after its groupCreate). */
	groupId?: string;
	key: string;
	/** `{key}` for a user created in this run (resolved after the create). */
	userRef: UserRef;
}

export type UserPatchStep = UpdateStep | AdoptStep | ActivationStep;
export type PlannedStep = CreateStep | UserPatchStep | ManagerStep | GroupCreateStep | GroupMemberStep;
export type StepKind = PlannedStep['kind'];

/** A write that another write of the same run waits for: a person's create (by mapping key) or a group's create. */
export type Dependency = { kind: 'create'; key: string } | { kind: 'groupCreate'; groupName: string };

function createOf(ref: UserRef): Dependency[] {
	return 'key' in ref ? [{ kind: 'create', key: ref.key }] : [];
}

/**
 * What a planned write waits for in this run, read from its references to objects created in it (a person by key,
 * a group without an id): a manager step waits for the subordinate's and the manager's creates, a membership for
 * its group's and its member's. The one definition Apply One Person narrows by (core/sync/onDemand.ts); the
 * executor's phases (creates, managers, group creates, memberships) keep every dependency before what waits for it.
 */
export function dependsOn(step: PlannedStep): Dependency[] {
	if (step.kind === 'manager') return [...createOf(step.userRef), ...createOf(step.managerRef)];
	if (step.kind !== 'groupAdd' && step.kind !== 'groupRemove') return [];
	const group: Dependency[] = step.groupId === undefined ? [{ kind: 'groupCreate', groupName: step.groupName }] : [];
	return [...group, ...createOf(step.userRef)];
}

/**
 * Every kind of write, once (the compiler keeps it complete): how the Summary and the e-mail report say it, and
 * the order a blocked plan names the first people in (deactivations first: they are what guards block). The keys'
 * order is the order the counts and the fingerprint's readable prefix list the kinds.
 */
export const STEP_KINDS: Readonly<Record<StepKind, { words: string; firstAffected: number }>> = Object.freeze({
	create: { words: 'create', firstAffected: 5 },
	adopt: { words: 'adopt', firstAffected: 3 },
	update: { words: 'update', firstAffected: 2 },
	reactivate: { words: 'reactivate', firstAffected: 4 },
	deactivate: { words: 'deactivate', firstAffected: 1 },
	groupCreate: { words: 'group create', firstAffected: 9 },
	groupAdd: { words: 'group add', firstAffected: 8 },
	groupRemove: { words: 'group remove', firstAffected: 7 },
	manager: { words: 'manager set', firstAffected: 6 },
});

/** The step kinds in STEP_KINDS' order. */
export const STEP_KIND_LIST: readonly StepKind[] = Object.freeze(Object.keys(STEP_KINDS) as StepKind[]);

/** A count per step kind (the plan's counts, the Summary's planned and done). */
export type ActionCounts = Record<StepKind, number>;

export function emptyActionCounts(): ActionCounts {
	const counts = {} as ActionCounts;
	for (const kind of STEP_KIND_LIST) counts[kind] = 0;
	return counts;
}

/** `stopped`: the failure breaker stopped the run; `notAttempted`: a planned write the stop left unsent. */
/** `refusedGroup`: a group name the Sync will not write to (not owned, the protected group, a look-alike). */
export type IssueType =
	| 'invalid'
	| 'conflict'
	| 'duplicateKey'
	| 'missingGroup'
	| 'refusedGroup'
	| 'failed'
	| 'blocked'
	| 'stopped'
	| 'notAttempted'
	| 'unknownManager';

export interface PlanIssue {
	type: IssueType;
	key?: string;
	/** What was attempted or refused: create, update, adopt, deactivate, groupAdd, ... or 'input'. */
	action: string;
	reason: string;
	whatToDo: string;
	/** For missingGroup: the group; for conflicts: the Plek user involved. */
	groupName?: string;
	userId?: string;
	/** How many records an issue stands for (missingGroup: the users the group would have received). */
	count?: number;
	/** Who the issue is about, beside the key: the record's userName (else Plek's) and display name. */
	userName?: string;
	displayName?: string;
}

/**
 * One user's writes exactly as the executor applies them: a create (the POST body), or ONE PATCH of an existing
 * user merging its adopt / update / (de|re)activate operations in that order, with the planned version (If-Match).
 * The operations were built from the paths parsed once at planning; nothing re-parses or regroups them.
 */
export interface UserChange {
	key: string;
	target: { create: ScimUserDraft } | { userId: string };
	version?: string;
	/** PATCH operations; empty for a create. */
	operations: PatchOperation[];
	/** The planned steps this change carries out (for the counts and the Changes items). */
	steps: Array<CreateStep | UserPatchStep>;
	/** Why: the rule that decided (planner/decision.ts) and, for (de|re)activation, its reason. */
	reasons: string[];
}

/** What became of one planned write in a run: the executor records it on the change set, by the step itself (a step
 * without one was not attempted: the failure breaker stopped the run first). */
export interface WriteResult {
	status: 'done' | 'alreadyExisted' | 'failed';
	/** Why it failed. */
	error?: string;
	/** A create's new Plek id. */
	userId?: string;
}

/** The outcomes of a run's writes, each on its planned step. */
export type RunOutcomes = ReadonlyMap<PlannedStep, WriteResult>;

/** Members to add to / remove from one group, as applied (the transport chunks them). */
export interface GroupMembershipChange {
	kind: 'groupAdd' | 'groupRemove';
	groupName: string;
	/** Absent for a group created in this run (resolved by name after its create). */
	groupId?: string;
	members: GroupMemberStep[];
}

/** Which rule of the Sync table decided (core/sync/README.md, the README's Sync table). */
export type Rule =
	| 'invalidRecord'
	| 'duplicateKey'
	| 'duplicateUserName'
	| 'duplicateExternalId'
	| 'leaverNotCreated'
	| 'create'
	| 'createSwitchedOff'
	| 'noUserNameToCreate'
	| 'adoptionCandidate'
	| 'adopted'
	| 'adoptionAmbiguous'
	| 'keyChanged'
	| 'userNameTaken'
	| 'unmanagedNotTouched'
	| 'matched'
	| 'deactivateLeaver'
	| 'deactivateSwitchedOff'
	| 'alreadyInactive'
	| 'missingLeftAlone'
	| 'missingProtected'
	| 'missingDeactivationOff'
	| 'deactivateMissing'
	| 'groupRemoval'
	| 'protectedAccount'
	| 'preHireNotYet'
	| 'preHireCreate'
	| 'preHireWaiting';

/** What the decision amounts to (first write wins: a user that is updated and added to a group is an update). */
export type DecisionAction =
	| 'create'
	| 'adopt'
	| 'update'
	| 'deactivate'
	| 'reactivate'
	| 'groupAdd'
	| 'groupRemove'
	| 'manager'
	| 'unchanged'
	| 'skipped'
	| 'conflict'
	| 'invalid'
	| 'none';

export interface Decision {
	key?: string;
	rule: Rule;
	action: DecisionAction;
	record?: ParsedUserRecord;
	/** The Plek user the record matched (managed, or adopted). */
	user?: ScimUser;
	steps: PlannedStep[];
	issues: PlanIssue[];
	/** Groups the rules name that Plek lacks (and createMissingGroups is off) / that several Plek groups share. */
	missingGroups?: string[];
	ambiguousGroups?: string[];
	/** Readable trace lines, only for the explained key (a `trace?.push(...)` costs nothing otherwise). */
	trace?: string[];
	/** The record is active and leaves on this date, after today (planner/leaving.ts): said in Summary, Changes, Explain. */
	leavesOn?: string;
	/** The account is protected and these writes were dropped (planner/protected.ts): the plan's protectedAccounts view. */
	protectedBy?: { by: ProtectedMatch['by']; user: ScimUser; dropped: StepKind[] };
}

/** Why the failure breaker's stop happened: what the failures have in common (breaker.ts). */
export type FailureKind = 'credential' | 'rateLimit' | 'unavailable' | 'refused';

/** Why a run stopped writing (breaker.ts), for the Summary (`summary.stopped`) and the error. */
export interface StoppedInfo {
	reason: string;
	/** Writes Plek answered before the stop (in-flight ones included), and how many of those failed. */
	attempted: number;
	failed: number;
	failurePercent: number;
	minWrites: number;
	/** Planned writes (steps) that were never sent. */
	notAttempted: number;
	/** What the failures have in common, and what to check. */
	failureKind: FailureKind;
	whatToCheck: string;
	/** Failures by status: `HTTP 400 invalidValue` -> 17. */
	failuresBy: Record<string, number>;
	/** Set when the sliding window stopped the run (the whole run's share was still under the limit). */
	window?: { writes: number; failed: number };
}

/** What Explain One Person's query (a mapping key, userName or e-mail) resolved to (planner/explain.ts). */
export interface ExplainTarget {
	/** The query as given (trimmed). */
	query: string;
	/** The mapping key the query resolves to; undefined when none or several match. */
	key?: string;
	matchedBy: 'key' | 'userName' | 'email' | 'none' | 'ambiguous';
	/** Keys that matched, when several did. */
	candidates?: string[];
	/** One line for the Explain trace saying how the query was resolved. */
	note: string;
}

/** A protected account the rules would have written to; its writes were dropped (planner/protected.ts). */
export interface ProtectedMatch {
	key?: string;
	userId: string;
	userName?: string;
	/** Why the account is protected: 'list' (userName / externalId on the list) or 'group'. */
	by: 'list' | 'group';
	/** The writes that were dropped. */
	dropped: PlannedStep['kind'][];
}

/** One guard's judgement of a plan (planner/guards.ts), shown in a blocked plan whether or not it fired. */
export interface GuardResult {
	/** The option holding its limit, e.g. maxGroupCreates. */
	guard: string;
	/** What it counts. */
	counts: string;
	count: number;
	limit: number;
	/** Over its limit: this guard blocks the plan. */
	blocks: boolean;
	problem?: string;
}

/** Why a plan is blocked: the guards' verdict (planner/guards.ts), or a configuration error. */
export interface BlockedInfo {
	reason: string;
	counts: {
		deactivations: number;
		inactiveInSource: number;
		missingFromSource: number;
		managedActive: number;
		inputRecords: number;
		maxDeactivations: number;
		maxDeactivationPercent: number;
		minSourceRatio: number;
	};
	/** Every guard with its count and limit (the ones over it block). */
	guards?: GuardResult[];
	/** The plan's fingerprint (approve it with the approvePlan option) and the first people it writes to. */
	fingerprint?: string;
	firstAffected?: string[];
}
