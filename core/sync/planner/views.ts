// Derived views: the plan's steps, counts, Issues, Changes and the Explain trace, all computed from the
// decisions (a decision's rule, writes, issues and trace are the data). Nothing here decides anything.
import { readScimPath } from '../../scimPath';
import type { ParsedUserRecord } from '../../record';
import type { ScimUser } from '../../types';
import { emptyActionCounts, type CreateStep, type GroupMembershipChange, type PlanCounts, type PlanIssue, type PlannedStep, type UserChange, type UserPatchStep } from '../types';
import type { Decision, PlanContext } from './decision';
import { lower } from './text';
import { normaliseGroupName } from './groupNames';

export interface Identity {
	userName?: string;
	displayName?: string;
	/** The leave date ahead (planner/leaving.ts), when there is one. */
	leavesOn?: string;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function fullName(given: unknown, family: unknown): string | undefined {
	const parts = [text(given), text(family)].filter((p): p is string => p !== undefined);
	return parts.length > 0 ? parts.join(' ') : undefined;
}

function recordDisplayName(rec: ParsedUserRecord): string | undefined {
	let display: unknown, formatted: unknown, given: unknown, family: unknown;
	for (const p of rec.paths) {
		if (p.parsed.schema) continue;
		const path = p.pathKey;
		const value = rec.profile[p.path];
		if (path === 'displayname') display = value;
		else if (path === 'name.formatted') formatted = value;
		else if (path === 'name.givenname') given = value;
		else if (path === 'name.familyname') family = value;
	}
	return text(display) ?? text(formatted) ?? fullName(given, family);
}

function userDisplayName(user: ScimUser): string | undefined {
	return (
		text(readScimPath(user, 'displayName')) ??
		text(readScimPath(user, 'name.formatted')) ??
		fullName(readScimPath(user, 'name.givenName'), readScimPath(user, 'name.familyName'))
	);
}

/** Who a decision is about, for the Changes and Issues items (userName and display name beside the key). */
export function identityOf(d: Decision): Identity {
	return {
		userName: d.record?.userName ?? d.user?.userName,
		displayName: (d.record && recordDisplayName(d.record)) ?? (d.user && userDisplayName(d.user)),
		...(d.leavesOn !== undefined ? { leavesOn: d.leavesOn } : {}),
	};
}

/** The decisions that write or report something, in plan order: all the steps, Issues, Changes and user changes
 * come from these (a few in a run of 100k unchanged users), so those views need not read every decision. */
export function notedDecisions(decisions: readonly Decision[]): Decision[] {
	const noted: Decision[] = [];
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		// Stryker disable next-line ConditionalExpression,EqualityOperator: a wider filter (every decision) leaves every view the same (equivalent mutant)
		if (d.steps.length > 0 || d.issues.length > 0 || d.missingGroups || d.ambiguousGroups) noted.push(d);
	}
	return noted;
}

export function stepsOf(decisions: readonly Decision[], ctx: PlanContext): PlannedStep[] {
	const steps: PlannedStep[] = [];
	// Indexed loops over the decisions in the views: no iterator per decision (most have no steps or issues).
	for (let i = 0; i < decisions.length; i++) {
		const own = decisions[i].steps;
		for (let j = 0; j < own.length; j++) steps.push(own[j]);
	}
	for (const displayName of ctx.newGroups.values()) steps.push({ kind: 'groupCreate', displayName });
	return steps;
}

function withIdentity(issue: PlanIssue, d: Decision): PlanIssue {
	if (issue.key === undefined) return issue;
	const who = identityOf(d);
	return { ...issue, ...(who.userName !== undefined ? { userName: who.userName } : {}), ...(who.displayName !== undefined ? { displayName: who.displayName } : {}) };
}

/** Group issues: one per missing group (with the users it would have received), one per ambiguous name. */
function groupIssues(decisions: readonly Decision[]): PlanIssue[] {
	const missing = new Map<string, { name: string; users: number }>();
	const ambiguous = new Set<string>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.missingGroups) {
			for (const name of d.missingGroups) {
				const key = normaliseGroupName(name);
				const entry = missing.get(key) ?? { name, users: 0 };
				entry.users++;
				missing.set(key, entry);
			}
		}
		if (d.ambiguousGroups) for (const name of d.ambiguousGroups) ambiguous.add(name);
	}
	const issues: PlanIssue[] = [...missing.values()].map(({ name, users }) => ({
		type: 'missingGroup',
		action: 'groupAdd',
		groupName: name,
		count: users,
		reason: `group ${name} does not exist in Plek; ${users} user(s) were not added to it.`,
		whatToDo: `Create the group "${name}" in Plek, fix the group rule, or enable "Create Missing Groups".`,
	}));
	for (const name of ambiguous) {
		issues.push({
			type: 'conflict',
			action: 'groupAdd',
			groupName: name,
			reason: `several Plek groups are named ${name}; no members were added to any of them.`,
			whatToDo: 'Rename or remove the duplicate groups in Plek so the name is unique.',
		});
	}
	return issues;
}

export function issuesOf(decisions: readonly Decision[]): PlanIssue[] {
	const issues: PlanIssue[] = [];
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		for (let j = 0; j < d.issues.length; j++) issues.push(withIdentity(d.issues[j], d));
	}
	return issues.concat(groupIssues(decisions));
}

/** What a decision amounts to, in the counts: its first write, else what it decided. */
export function outcomeOf(d: Decision): Decision['action'] {
	return d.steps.length > 0 ? d.steps[0].kind === 'groupCreate' ? 'none' : d.steps[0].kind : d.action;
}

export function countsOf(decisions: readonly Decision[], steps: readonly PlannedStep[], issues: readonly PlanIssue[]): PlanCounts {
	const counts: PlanCounts = { ...emptyActionCounts(), unchanged: 0, skipped: 0, conflicts: 0, invalid: 0 };
	for (const step of steps) counts[step.kind]++;
	for (let i = 0; i < decisions.length; i++) {
		const outcome = outcomeOf(decisions[i]);
		if (outcome === 'unchanged') counts.unchanged++;
		else if (outcome === 'skipped') counts.skipped++;
	}
	for (const issue of issues) {
		if (issue.type === 'conflict') counts.conflicts++;
		else if (issue.type === 'invalid' || issue.type === 'duplicateKey') counts.invalid++;
	}
	return counts;
}

/** The Explain trace: the explained key's decisions, in plan order. */
export function explanationOf(decisions: readonly Decision[], absentKeyLines: readonly string[], missingStart: number): string[] {
	const lines: string[] = [];
	for (let i = 0; i < decisions.length; i++) {
		if (i === missingStart) lines.push(...absentKeyLines);
		const trace = decisions[i].trace;
		if (trace) lines.push(...trace); // only the explained key has a trace: a few lines
	}
	if (missingStart >= decisions.length) lines.push(...absentKeyLines);
	return lines;
}

const isUserStep = (step: PlannedStep): step is CreateStep | UserPatchStep =>
	step.kind === 'create' || step.kind === 'adopt' || step.kind === 'update' || step.kind === 'deactivate' || step.kind === 'reactivate';

/** One UserChange per decision with user-level writes: its create, or its one merged PATCH. */
export function userChangesOf(decisions: readonly Decision[]): UserChange[] {
	const changes: UserChange[] = [];
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		if (d.steps.length === 0) continue;
		const steps = d.steps.filter(isUserStep);
		if (steps.length === 0) continue;
		const reasons = [d.rule, ...steps.flatMap((s) => ('reason' in s ? [s.reason] : []))];
		const first = steps[0];
		if (first.kind === 'create') {
			changes.push({ key: first.key, target: { create: first.user }, operations: [], steps, reasons });
			continue;
		}
		const patchSteps = steps as UserPatchStep[];
		changes.push({
			key: first.key,
			target: { userId: first.userId },
			version: first.version,
			operations: patchSteps.flatMap((s) => s.operations),
			steps,
			reasons,
		});
	}
	return changes;
}

/** Membership changes per (kind, group): members in plan order. */
export function membershipChangesOf(steps: readonly PlannedStep[]): GroupMembershipChange[] {
	const byGroup = new Map<string, GroupMembershipChange>();
	for (const step of steps) {
		if (step.kind !== 'groupAdd' && step.kind !== 'groupRemove') continue;
		const id = `${step.kind}\u0000${step.groupId ?? `new:${lower(step.groupName)}`}`;
		let change = byGroup.get(id);
		if (!change) {
			change = { kind: step.kind, groupName: step.groupName, members: [] };
			if (step.groupId !== undefined) change.groupId = step.groupId;
			byGroup.set(id, change);
		}
		change.members.push(step);
	}
	return [...byGroup.values()];
}
