// Group rules: adds for an active record (add only, Plek's default), missing groups created only when opted
// in, and removals from rule-managed groups the rules no longer put a member in (removeFromRuleGroups).
import type { ParsedUserRecord } from '../../record';
import type { GroupMemberStep, UserRef } from '../types';
import { addStep, decision, lower, show, type Decision, type PlanContext } from './decision';

function groupAdd(d: Decision, groupName: string, groupId: string | undefined, userRef: UserRef): void {
	const step: GroupMemberStep = { kind: 'groupAdd', groupName, key: d.key as string, userRef };
	if (groupId !== undefined) step.groupId = groupId;
	addStep(d, step);
}

/** A group Plek lacks: created in this run (createMissingGroups) or reported once per group. */
function planMissingGroup(d: Decision, name: string, ctx: PlanContext, userRef: UserRef): void {
	if (!ctx.options.createMissingGroups) {
		(d.missingGroups ??= []).push(name);
		d.trace?.push(`Group ${show(name)}: does not exist in Plek; not added (createMissingGroups is off).`);
		return;
	}
	const key = lower(name);
	if (!ctx.newGroups.has(key)) ctx.newGroups.set(key, name);
	d.trace?.push(`Group ${show(name)}: not in Plek -> create the group (createMissingGroups) and add.`);
	groupAdd(d, ctx.newGroups.get(key) as string, undefined, userRef);
}

/** Group adds for an active record; `userId` undefined for a user created in this run. */
export function planGroupAdds(d: Decision, rec: ParsedUserRecord, userId: string | undefined, ctx: PlanContext): void {
	if (!ctx.options.groups) {
		if (rec.groups.length > 0) d.trace?.push('Groups: group rules switched off (option "groups"); no membership changes.');
		return;
	}
	const userRef: UserRef = userId !== undefined ? { userId } : { key: rec.key };
	for (const name of rec.groups) {
		const group = ctx.dir.groupsByName.get(lower(name));
		if (group === 'ambiguous') {
			(d.ambiguousGroups ??= []).push(name);
			d.trace?.push(`Group ${show(name)}: several Plek groups have this name; skipped.`);
		} else if (!group) {
			planMissingGroup(d, name, ctx, userRef);
		} else if (userId !== undefined && ctx.dir.membersByGroup.get(group.id)?.has(userId)) {
			d.trace?.push(`Group ${show(group.displayName)}: already a member.`);
		} else {
			d.trace?.push(`Group ${show(group.displayName)}: rule matches, not a member yet -> add.`);
			groupAdd(d, group.displayName, group.id, userRef);
		}
	}
}

/** A Managed Groups entry ending in `*` (`Dept *`): every Plek group whose name starts with the text before it. */
export function groupPattern(entry: string): string | undefined {
	const trimmed = entry.trim();
	return trimmed.endsWith('*') && trimmed.length > 1 ? lower(trimmed.slice(0, -1)) : undefined;
}

/**
 * Groups the rules manage (lower-case): named by some record of this run (fixed and field-based rules alike),
 * listed in options.managedGroups, or a Plek group matching one of its `Prefix*` patterns - the way a group a
 * field-based rule no longer names for anyone (its department emptied) stays rule-managed. A bare `*` matches
 * nothing: every Plek group can never be rule-managed by accident.
 */
export function managedGroupNames(records: readonly ParsedUserRecord[], ctx: PlanContext): Set<string> {
	const names = new Set<string>();
	const prefixes: string[] = [];
	for (const entry of ctx.options.managedGroups) {
		const prefix = groupPattern(entry);
		if (prefix !== undefined) prefixes.push(prefix);
		else if (entry.trim() !== '*') names.add(lower(entry.trim()));
	}
	for (const rec of records) for (const g of rec.groups) names.add(lower(g));
	if (prefixes.length > 0) for (const name of ctx.dir.groupsByName.keys()) if (prefixes.some((p) => name.startsWith(p))) names.add(name);
	return names;
}

/**
 * Removals from rule-managed groups: only members matched to an active input record in this run whose rules
 * no longer name the group. One decision per removal (in group order, then member order).
 */
export function planGroupRemovals(records: readonly ParsedUserRecord[], matched: ReadonlyMap<string, ParsedUserRecord>, ctx: PlanContext): Decision[] {
	const decisions: Decision[] = [];
	if (!ctx.options.groups || !ctx.options.removeFromRuleGroups) return decisions;
	for (const name of managedGroupNames(records, ctx)) {
		const group = ctx.dir.groupsByName.get(name);
		if (!group || group === 'ambiguous') continue;
		for (const userId of ctx.dir.membersByGroup.get(group.id) ?? []) {
			const rec = matched.get(userId);
			if (!rec || !rec.active || rec.groups.some((g) => lower(g) === name)) continue;
			const d = decision(ctx, rec.key, 'groupRemoval', rec);
			d.action = 'groupRemove';
			d.trace?.push(`Group ${show(group.displayName)}: rule-managed, no rule puts this user there any more -> remove (removeFromRuleGroups).`);
			addStep(d, { kind: 'groupRemove', groupName: group.displayName, groupId: group.id, key: rec.key, userRef: { userId } });
			decisions.push(d);
		}
	}
	return decisions;
}
