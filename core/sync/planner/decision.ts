// The planner's data: one Decision per input record (and per missing user / group removal), each with the
// rule that decided, the writes, the issues and - for the explained key - its readable trace. Counts, steps,
// Changes, Issues and the Explain trace are derived from these (views.ts), never kept beside them.
import type { ParsedUserRecord } from '../../record';
import type { ScimUser } from '../../types';
import type { ActivationStep, Decision, PlanIssue, PlannedStep, Rule } from '../model';
import type { ResolvedSyncOptions } from '../types';
import type { DirectoryIndex } from './directory';
import type { GroupOwnership, GroupResolver } from './ownership';
import type { PreHires } from './prehires';

export type { Decision, DecisionAction, Rule } from '../model';

/** What every decision function may read. Nothing in it is written by a decision except `newGroups`,
 * `newGroupSkeletons` and `configProblems`. */
export interface PlanContext {
	options: ResolvedSyncOptions;
	dir: DirectoryIndex;
	/** Every key seen in the input, valid or not: a managed user whose key is here is never "missing". */
	presentKeys: { has(key: string): boolean };
	adopt: { userName: boolean; email: boolean };
	/** Groups to create (createMissingGroups): normalised name -> the first spelling the rules used. */
	newGroups: Map<string, string>;
	/** The skeletons of `newGroups` (groupNames.ts): a second new name that looks like the first is refused. */
	newGroupSkeletons: Map<string, string>;
	/** Which Plek groups the Sync owns (ownership.ts), and the resolver of record group names (cached per name). */
	ownership: GroupOwnership;
	groups: GroupResolver;
	/** Configuration errors found while deciding (a literal rule naming the protected group): the run is blocked. */
	configProblems: Set<string>;
	explainKey?: string;
	/** Start dates (planner/prehires.ts): today in the Sync's time zone and Create Pre-hires. */
	preHires?: PreHires;
}

const NONE: never[] = [];
Object.freeze(NONE);

/** A new decision; `trace` only for the explained key. Shared empty lists until something is added. */
export function decision(ctx: PlanContext, key: string | undefined, rule: Rule, record?: ParsedUserRecord): Decision {
	// Every field present from the start: one object shape for all decisions keeps property access fast.
	return {
		key,
		rule,
		action: 'none',
		record,
		user: undefined,
		steps: NONE,
		issues: NONE,
		missingGroups: undefined,
		ambiguousGroups: undefined,
		trace: ctx.explainKey !== undefined && key === ctx.explainKey ? [] : undefined,
		leavesOn: undefined,
		protectedBy: undefined,
	};
}

export function addStep(d: Decision, step: PlannedStep): void {
	if (d.steps === NONE) d.steps = [];
	d.steps.push(step);
}

/** The one PATCH that (de)activates a Plek user: active=false for deactivate, active=true for reactivate. */
export function activationStep(kind: ActivationStep['kind'], key: string, user: ScimUser, reason: ActivationStep['reason']): ActivationStep {
	return {
		kind,
		key,
		userId: user.id,
		userName: user.userName,
		version: user.meta?.version,
		lastModified: user.meta?.lastModified,
		reason,
		operations: [{ op: 'replace', path: 'active', value: kind === 'reactivate' }],
	};
}

export function addIssue(d: Decision, issue: PlanIssue): void {
	if (d.issues === NONE) d.issues = [];
	d.issues.push(issue);
}

/** A conflict: reported, nothing written for the record. */
export function conflict(d: Decision, rule: Rule, action: string, reason: string, whatToDo: string, userId?: string): Decision {
	d.rule = rule;
	d.action = 'conflict';
	addIssue(d, { type: 'conflict', key: d.key, action, reason, whatToDo, userId });
	d.trace?.push(`Conflict (${action}): ${reason}`);
	return d;
}
