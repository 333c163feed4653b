// The sync planner: desired Plek user records + Plek's current users and groups + options -> a plan.
// A pure function (like `terraform plan`): no I/O, no randomness, linear in users and memberships; the clock only
// through options.now (start dates, prehires.ts; the current time when absent, read once and only if needed).
// Decisions, not a script: each phase below is one small function returning Decisions (decision.ts); the
// plan's steps, counts, Changes, Issues and Explain trace are views of those decisions (views.ts).
// The rules of the Sync table, one place each (core/sync/README.md):
//   input.ts       invalid records, duplicate keys, duplicate active userNames -> rejected
//   match.ts       externalId first; then who holds the userName / e-mail (adoption, key change, name in use)
//   decide.ts      create / leaver never created / update / deactivate / reactivate / conflicts per record
//   attributes.ts  changed attributes only, createOnly skipped, clearEmptyValues, userName in use
//   groups.ts      group adds, missing groups, removals from rule-managed groups
//   adoptions.ts   one claimant adopts, several conflict
//   managers.ts    manager key -> enterprise manager.value (same-run creates resolved after them), unknown managers
//   protected.ts   protected accounts: writes to them dropped, look-alike userNames / e-mails refused
//   finalise.ts    each draft -> its one final decision (leave date, manager write, protection)
//   missing.ts     managed users missing from the input (deactivateMissing), key-change protection
//   guards.ts      deactivation limits and the empty / shrunken source guard
//   prehires.ts    start dates: not created / not activated before them, Create Pre-hires (inactive, N days ahead)
//   leaving.ts     leave dates ahead: nothing written, said in the Summary, Changes (leavesOn) and Explain
import type { PlekUserRecord } from '../../types';
import type { ResolvedSyncOptions, SyncOptions, SyncPlan } from '../types';
import { resolveAdoptions } from './adoptions';
import { changesFromSteps } from './changes';
import { decideRecord, type AdoptionClaim } from './decide';
import type { Decision, PlanContext } from './decision';
import { indexDirectory, type CurrentState, type DirectoryIndex } from './directory';
import { planGroupRemovals } from './groups';
import { checkGuards, guardInput } from './guards';
import { checkInput, type CheckedInput } from './input';
import { matchRecord } from './match';
import { resolveTarget, type ExplainTarget } from './explain';
import { explainAbsentKey, planMissingUsers } from './missing';
import { scopeOf } from './scope';
import { resolveLifecycleOptions, resolveSyncOptions, type LifecycleOptions } from './options';
import { settleVerdict, type Verdict } from './lifecycle';
import { daysUntilStart, preHireRules, readInstant } from './prehires';
import { approvalContext } from './approval';
import type { ParsedUserRecord } from '../../record';
import { managerFacts } from './managers';
import { finalDecision, type RunFacts } from './finalise';
import { indexProtection, protectedMatchesOf, protectionFacts } from './protected';
import { groupResolver, indexOwnership } from './ownership';
import { countsOf, explanationOf, identityOf, issuesOf, membershipChangesOf, notedDecisions, stepsOf, userChangesOf } from './views';

export { changesFromSteps } from './changes';
export { resolveExplainTarget, type ExplainTarget } from './explain';
export type { CurrentState } from './directory';
export type { Decision, DecisionAction, Rule } from './decision';
export { DEFAULT_LIFECYCLE_OPTIONS, resolveLifecycleOptions, resolveSyncOptions } from './options';
export { lifecycleSummary } from './lifecycle';
export { planFingerprint } from './fingerprint';
export { emptySourceProblem, isEmptySource } from './source';

/** push(...items) without the argument limit (a run may have 100k missing users). */
function append<T>(list: T[], items: readonly T[]): void {
	for (const item of items) list.push(item);
}

const isClaim = (outcome: Decision | AdoptionClaim): outcome is AdoptionClaim => 'by' in outcome;

/** Users matched to a record in this run (managed or adopted): the members group removals may touch. */
function matchedUsers(decisions: readonly Decision[]): Map<string, NonNullable<Decision['record']>> {
	const matched = new Map<string, NonNullable<Decision['record']>>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.user && d.record) matched.set(d.user.id, d.record);
	}
	return matched;
}

/** Active people in the input: the source-size guard's count (historic leavers and future hires do not pad it). */
function activePeople(records: readonly ParsedUserRecord[], ctx: PlanContext): number {
	let n = 0;
	for (let i = 0; i < records.length; i++) {
		const rec = records[i];
		if (rec.active && (rec.startDate === undefined || daysUntilStart(rec, ctx.preHires) === undefined)) n++;
	}
	return n;
}

/** Managed users implicated in a key-change conflict: never deactivated as "missing" in this run. */
function keyChangeProtected(decisions: readonly Decision[]): Set<string> {
	const ids = new Set<string>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.rule === 'keyChanged') for (const issue of d.issues) if (issue.userId) ids.add(issue.userId);
	}
	return ids;
}

/** The run-wide facts every decision reads: options, Plek's index, group ownership, start dates. */
export function contextOf(o: ResolvedSyncOptions, life: LifecycleOptions, dir: DirectoryIndex, presentKeys: PlanContext['presentKeys'], options: SyncOptions): PlanContext {
	const ownership = indexOwnership(o.managedGroups, life.protectedGroups, dir);
	return {
		options: o,
		dir,
		presentKeys,
		adopt: { userName: o.adoptUnmanaged === 'userName' || o.adoptUnmanaged === 'userNameOrEmail', email: o.adoptUnmanaged === 'email' || o.adoptUnmanaged === 'userNameOrEmail' },
		newGroups: new Map(),
		newGroupSkeletons: new Map(),
		ownership,
		groups: groupResolver(dir, ownership),
		configProblems: new Set(),
		explainKey: undefined,
		preHires: preHireRules(options),
	};
}

/** The Explain trace: how the query resolved, the explained person's decisions, the approval, the block. */
function explanation(target: ExplainTarget, decided: readonly string[], verdict: Verdict): string[] {
	const lines = [...(target.matchedBy === 'key' ? [] : [target.note]), ...decided, ...verdict.trace];
	if (verdict.blocked) lines.push(`The whole plan is blocked: ${verdict.blocked.reason}`);
	return lines;
}

/** The drafts of the input records: each decided by its own rule (rejected ones first), then the adoption claims
 * resolved once every record's claim is known. */
function draftRecords(input: CheckedInput, ctx: PlanContext): Decision[] {
	// A list of the records' length, cut after the adoption claims left it.
	const drafts: Decision[] = new Array(input.rejected.length + input.valid.length);
	let count = 0;
	for (; count < input.rejected.length; count++) drafts[count] = input.rejected[count];
	const claims: AdoptionClaim[] = [];
	for (let i = 0; i < input.valid.length; i++) {
		const rec = input.valid[i];
		const outcome = decideRecord(rec, matchRecord(rec, input.found[i], ctx), ctx);
		if (isClaim(outcome)) claims.push(outcome);
		else drafts[count++] = outcome;
	}
	drafts.length = count;
	append(drafts, resolveAdoptions(claims, ctx));
	return drafts;
}

/** Each draft replaced by its final decision (finalise.ts), in place in the list: the drafts are not changed. */
function finalise(drafts: Decision[], records: { from: number; to: number }, facts: RunFacts): void {
	for (let i = 0; i < drafts.length; i++) drafts[i] = finalDecision(drafts[i], i >= records.from && i < records.to ? 'record' : 'other', facts);
}

/**
 * Plans a sync. `desired` may come from any node, so every record is checked (core/record); a bad record
 * becomes an issue, never an exception. Does not mutate its arguments.
 * Three phases: the run-wide facts of the input and Plek; a draft per object by its own rule (records, adoptions,
 * group removals, missing users) and the facts read across them (managers, protection); one final decision per
 * draft. Every view below reads only final decisions.
 */
export function planSync(desired: readonly PlekUserRecord[], current: CurrentState, options: SyncOptions = {}): SyncPlan {
	const o = resolveSyncOptions(options);
	const life = resolveLifecycleOptions(options);
	const dir = indexDirectory(current);
	const input = checkInput(desired, dir, o);
	const target = o.explainKey !== undefined ? resolveTarget(o.explainKey, input.valid, dir, input.presentKeys) : undefined;
	const ctx = contextOf(o, life, dir, input.presentKeys, options);
	ctx.explainKey = target ? (target.key ?? target.query) : undefined;
	const protectionIndex = indexProtection(life, ctx);

	const decisions = draftRecords(input, ctx);
	const records = { from: input.rejected.length, to: decisions.length };
	// Stryker disable next-line ConditionalExpression: a shortcut only - managerFacts itself is undefined when no record names a manager (equivalent mutant)
	const managers = input.withManager ? managerFacts(decisions, ctx, protectionIndex) : undefined;
	if (o.groups && o.removeFromRuleGroups) append(decisions, planGroupRemovals(matchedUsers(decisions), ctx));
	const missingStart = decisions.length;
	const scope = scopeOf(o.missingScope, dir);
	append(decisions, planMissingUsers(keyChangeProtected(decisions), ctx, scope.inScope));
	finalise(decisions, records, { ctx, managers, protection: protectionFacts(decisions, protectionIndex) });
	const protectedAccounts = protectedMatchesOf(decisions);

	const noted = notedDecisions(decisions);
	const steps = stepsOf(noted, ctx);
	const issues = issuesOf(noted);
	const guarded = guardInput(steps, { inputRecords: input.valid.length, managedActive: scope.managedActive, activePeople: activePeople(input.valid, ctx) });
	const configProblems = [...(ctx.ownership.problem ? [ctx.ownership.problem] : []), ...ctx.configProblems];
	const approval = approvalContext(options, life.approvePlan, () => readInstant(options.now) ?? Date.now());
	const verdict = settleVerdict(checkGuards({ ...options, ...o }, guarded), steps, protectionIndex.groupProblem, life, o, guarded, configProblems, approval);
	const blocked = verdict.blocked;
	const identities = new Map(noted.filter((d) => d.key !== undefined && d.steps.length > 0).map((d) => [d.key as string, identityOf(d)]));
	const plan: SyncPlan = {
		steps,
		userChanges: userChangesOf(noted),
		membershipChanges: membershipChangesOf(steps),
		issues,
		counts: countsOf(decisions, steps, issues),
		changes: changesFromSteps(steps, (key) => identities.get(key)),
		decisions,
	};
	plan.fingerprint = verdict.fingerprint;
	if (verdict.approved) plan.approved = true;
	if (protectedAccounts.length > 0) plan.protectedAccounts = protectedAccounts;
	if (blocked) plan.blocked = blocked;
	if (target) {
		plan.explainTarget = target;
		plan.explanation = explanation(target, explanationOf(decisions, explainAbsentKey(ctx, scope.inScope), missingStart), verdict);
	}
	return plan;
}
