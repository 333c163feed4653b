// Group rules: adds for an active record (add only, Plek's default) into groups the admin handed over
// (ownership.ts), missing groups created only when opted in, refused names (look-alikes, the protected group, a
// source value naming a group the Sync does not own) reported per person, and removals from owned groups the rules
// no longer put a member in (removeFromRuleGroups).
import type { ParsedUserRecord } from '../../record';
import type { GroupMemberStep, UserRef } from '../types';
import { addIssue, addStep, decision, type Decision, type PlanContext } from './decision';
import { show } from './text';
import { groupSkeleton, normaliseGroupName } from './groupNames';
import type { GroupTarget } from './ownership';

function groupAdd(d: Decision, groupName: string, groupId: string | undefined, userRef: UserRef): void {
	const step: GroupMemberStep = { kind: 'groupAdd', groupName, key: d.key as string, userRef };
	if (groupId !== undefined) step.groupId = groupId;
	addStep(d, step);
}

/** A group Plek lacks: created in this run (createMissingGroups; marked as the Sync's) or reported once per group.
 * A new name that looks like another new name of this run (the same skeleton) is refused. */
function planMissingGroup(d: Decision, target: Extract<GroupTarget, { kind: 'missing' }>, ctx: PlanContext, userRef: UserRef): void {
	const { name, normalised } = target;
	if (!ctx.options.createMissingGroups) {
		(d.missingGroups ??= []).push(name);
		d.trace?.push(`Group ${show(name)}: does not exist in Plek; not added (createMissingGroups is off).`);
		return;
	}
	if (!ctx.newGroups.has(normalised)) {
		const skeleton = groupSkeleton(normalised);
		const twin = ctx.newGroupSkeletons.get(skeleton);
		if (twin !== undefined && twin !== normalised) {
			refuseGroup(d, name, `it looks like ${show(ctx.newGroups.get(twin))}, another new group of this run (a look-alike)`);
			return;
		}
		ctx.newGroupSkeletons.set(skeleton, normalised);
		ctx.newGroups.set(normalised, name);
	}
	d.trace?.push(`Group ${show(name)}: not in Plek -> create the group (createMissingGroups, marked as the Sync's) and add.`);
	groupAdd(d, ctx.newGroups.get(normalised) as string, undefined, userRef);
}

const OWNED_BY = { managedGroups: 'in Managed Groups', created: 'created by the Sync' } as const;

const REFUSED_ADVICE =
	'Fix the value in the source or the group rule; if the Sync should manage this group, add it (or a "Prefix *" pattern) to the Plek Sync\'s Managed Groups.';

/** A group name the Sync will not write to for this person: an Issue naming the person and the group. */
function refuseGroup(d: Decision, name: string, why: string, whatToDo = REFUSED_ADVICE): void {
	addIssue(d, { type: 'refusedGroup', key: d.key, action: 'groupAdd', groupName: name, reason: `group ${show(name)} refused: ${why}; not added.`, whatToDo });
	d.trace?.push(`Group ${show(name)}: refused - ${why}.`);
}

/** Whether a source value (a rule named by a field) gave this name, rather than an admin's literal rule. */
function fromField(rec: ParsedUserRecord, name: string): boolean {
	const fields = rec.fieldGroups;
	if (fields === undefined) return false;
	for (const f of fields) if (f === name || normaliseGroupName(f) === normaliseGroupName(name)) return true;
	return false;
}

/** One group name of an active record: add, create, report or refuse. */
function planOneGroup(d: Decision, rec: ParsedUserRecord, name: string, userId: string | undefined, userRef: UserRef, ctx: PlanContext): void {
	const target = ctx.groups.resolve(name);
	switch (target.kind) {
		case 'refused':
			return refuseGroup(d, name, target.reason);
		case 'protected':
			if (!fromField(rec, name)) ctx.configProblems.add(`a group rule names the protected group ${show(name)}; the protected group is never a rule's target. Remove it from the group rules`);
			return refuseGroup(d, name, 'it is the protected group, which no rule may reach', 'Remove the protected group from the group rules (or correct the source value).');
		case 'ambiguous':
			(d.ambiguousGroups ??= []).push(name);
			d.trace?.push(`Group ${show(name)}: several Plek groups have this name; skipped.`);
			return;
		case 'missing':
			return planMissingGroup(d, target, ctx, userRef);
	}
	const { group, owned } = target;
	if (!owned && fromField(rec, name)) {
		return refuseGroup(d, name, `a source value names the existing group ${show(group.displayName)}, which the Sync does not own (not created by the Sync, not in Managed Groups)`);
	}
	if (userId !== undefined && ctx.dir.membersByGroup.get(group.id)?.has(userId)) {
		d.trace?.push(`Group ${show(group.displayName)}: already a member.`);
	} else {
		d.trace?.push(`Group ${show(group.displayName)}: rule matches, not a member yet -> add (${owned ? OWNED_BY[owned] : 'a rule names it literally'}).`);
		groupAdd(d, group.displayName, group.id, userRef);
	}
}

/** Group adds for an active record; `userId` undefined for a user created in this run. */
export function planGroupAdds(d: Decision, rec: ParsedUserRecord, userId: string | undefined, ctx: PlanContext): void {
	if (!ctx.options.groups) {
		if (rec.groups.length > 0) d.trace?.push('Groups: group rules switched off (option "groups"); no membership changes.');
		return;
	}
	const userRef: UserRef = userId !== undefined ? { userId } : { key: rec.key };
	for (const name of rec.groups) planOneGroup(d, rec, name, userId, userRef, ctx);
}

export { groupPattern } from './ownership';

/** Whether a record's rules name the group (compared after the one normalisation). */
function names(rec: ParsedUserRecord, normalised: string): boolean {
	for (const g of rec.groups) if (normaliseGroupName(g) === normalised) return true;
	return false;
}

/**
 * Removals from OWNED groups only (Managed Groups, or created by the Sync): members matched to an active input
 * record in this run whose rules no longer name the group. Being named in a record never makes a group owned.
 * One decision per removal (in Plek's group order, then member order).
 */
export function planGroupRemovals(matched: ReadonlyMap<string, ParsedUserRecord>, ctx: PlanContext): Decision[] {
	const decisions: Decision[] = [];
	if (!ctx.options.groups || !ctx.options.removeFromRuleGroups) return decisions;
	for (const { group, by: owned } of ctx.ownership.owned()) {
		const name = normaliseGroupName(group.displayName);
		for (const userId of ctx.dir.membersByGroup.get(group.id) ?? []) {
			const rec = matched.get(userId);
			if (!rec || !rec.active || names(rec, name)) continue;
			const d = decision(ctx, rec.key, 'groupRemoval', rec);
			d.action = 'groupRemove';
			d.trace?.push(`Group ${show(group.displayName)}: rule-managed, no rule puts this user there any more -> remove (removeFromRuleGroups). The Sync owns it: ${OWNED_BY[owned]}.`);
			addStep(d, { kind: 'groupRemove', groupName: group.displayName, groupId: group.id, key: rec.key, userRef: { userId } });
			decisions.push(d);
		}
	}
	return decisions;
}
