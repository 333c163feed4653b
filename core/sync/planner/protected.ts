// Protected accounts: Plek users on the protected list (userName, e-mail, Plek id or externalId; core/protection.ts)
// or members of a protected Plek group (the Sync's and the credential's) are never touched - not deactivated, not
// changed, not adopted, not added to or removed from groups.
// The decisions that would have written to them keep their rule's trace but lose their writes (rule
// 'protectedAccount'), so counts, guards and the fingerprint never include them.
import type { ScimUser } from '../../types';
import type { ProtectedMatch } from '../model';
import { conflict, type Decision, type PlanContext } from './decision';
import { show } from './text';
import { isEmailPath } from '../../record';
import { normaliseGroupName } from './groupNames';
import type { LifecycleOptions } from './options';
import { ProtectedAccounts } from '../../protection';

export type { ProtectedMatch } from '../model';

export interface ProtectionIndex {
	/** Nobody is protected (no list, no group members): nothing to look up. */
	empty: boolean;
	/** Why a Plek user is protected, or undefined. */
	reasonFor(user: ScimUser): ProtectedMatch['by'] | undefined;
	/** Whether a userName or e-mail address about to be written names an account on the list. */
	namesProtected(value: string): boolean;
	/** The protected group named in the options that Plek lacks (or holds twice): the run fails closed. */
	groupProblem?: string;
}

/** Builds the lookup once per plan (core/protection.ts: userNames and e-mails normalised, ids exact) and the groups' members. */
export function indexProtection(life: LifecycleOptions, ctx: PlanContext): ProtectionIndex {
	const list = new ProtectedAccounts(life.protectedAccounts);
	const members = new Set<string>();
	const problems: string[] = [];
	for (const name of life.protectedGroups) {
		const group = ctx.dir.groupsByName.get(normaliseGroupName(name));
		if (group === undefined) problems.push(`the protected group ${show(name)} does not exist in Plek`);
		else if (group === 'ambiguous') problems.push(`several Plek groups are named ${show(name)} (the protected group)`);
		else for (const id of ctx.dir.membersByGroup.get(group.id) ?? []) members.add(id);
	}
	return {
		groupProblem: problems.length > 0 ? problems.join('; ') : undefined,
		empty: list.empty && members.size === 0,
		reasonFor(user) {
			if (list.match(user) !== undefined) return 'list';
			return members.has(user.id) ? 'group' : undefined;
		},
		namesProtected: (value) => list.namesProtected(value),
	};
}

/**
 * A create, update or adoption that would give an unprotected account the userName or e-mail address of a
 * protected one: it would pass for that account, and be protected from the next run on (a source value must not
 * make someone undeletable). A conflict naming the value; nothing is written for the person.
 */
function refuseLookAlike(d: Decision, protection: ProtectionIndex): void {
	for (const step of d.steps) {
		if (step.kind !== 'create' && step.kind !== 'update' && step.kind !== 'adopt') continue;
		// The value first: it almost never names a protected account, so the path is rarely looked at.
		const hit = step.changes.find((c) => typeof c.after === 'string' && protection.namesProtected(c.after) && (c.path === 'userName' || isEmailPath(c.path)));
		if (!hit) continue;
		const what = hit.path === 'userName' ? 'userName' : 'e-mail address';
		d.steps = [];
		conflict(
			d,
			'protectedAccount',
			step.kind,
			`would give this person the ${what} ${show(String(hit.after))}, which names an account on the Protected Accounts list`,
			`Correct the ${what} in the source: a protected account's userName or e-mail address is never written onto another account.`,
		);
		return;
	}
}

/** The Plek user a decision writes to: the matched user, or (group removals) the member named by the step. */
function targetOf(d: Decision, usersById: ReadonlyMap<string, ScimUser>): ScimUser | undefined {
	if (d.user) return d.user;
	for (const step of d.steps) {
		if ((step.kind === 'groupAdd' || step.kind === 'groupRemove') && 'userId' in step.userRef) return usersById.get(step.userRef.userId);
	}
	return undefined;
}

const HOW = { list: 'on the Protected Accounts list', group: 'a member of the protected group' } as const;

/**
 * Drops every write to a protected account and returns the matches (for the Summary). Runs after every other
 * decision, before the guards: a protected deactivation is never counted.
 */
export function applyProtection(decisions: readonly Decision[], protection: ProtectionIndex): ProtectedMatch[] {
	// The common case: no protected accounts, so no index of every user and no lookup per decision.
	// Stryker disable next-line ConditionalExpression: a shortcut only - without it an empty index matches nobody (equivalent mutant)
	if (protection.empty) return [];
	const usersById = new Map<string, ScimUser>();
	for (const d of decisions) if (d.user) usersById.set(d.user.id, d.user);
	const matches = new Map<string, ProtectedMatch>();
	for (const d of decisions) {
		const user = targetOf(d, usersById);
		const by = user ? protection.reasonFor(user) : undefined;
		if (!by) {
			refuseLookAlike(d, protection);
			continue;
		}
		if (!user) continue;
		if (d.steps.length === 0) {
			d.trace?.push(`Protected account (${HOW[by]}): nothing would be written anyway.`);
			continue;
		}
		const dropped = d.steps.map((s) => s.kind);
		const earlier = matches.get(user.id); // a group removal is a decision of its own: one match per account
		if (earlier) earlier.dropped.push(...dropped);
		else matches.set(user.id, { key: d.key, userId: user.id, userName: user.userName, by, dropped });
		d.trace?.push(`Protected account (${HOW[by]}): not written - dropped ${dropped.join(', ')}.`);
		d.rule = 'protectedAccount';
		d.action = 'skipped';
		d.steps = [];
	}
	return [...matches.values()];
}
