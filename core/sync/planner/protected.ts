// Protected accounts: Plek users on the protected list (userName, e-mail, Plek id or externalId; core/protection.ts)
// or members of a protected Plek group (the Sync's and the credential's) are never touched - not deactivated, not
// changed, not adopted, not added to or removed from groups.
// Who is protected is a run-wide fact (indexProtection, protectionFacts); each decision is judged once, when
// finalise.ts makes it final: one that would write to a protected account keeps its rule's trace but loses its
// writes (rule 'protectedAccount'), so counts, guards and the fingerprint never include them.
import type { ScimUser } from '../../types';
import type { AttributeChange, ProtectedMatch } from '../model';
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

/** A decision's copy without its writes, to finish as a conflict (the draft's lists are never pushed to). */
function withoutWrites(d: Decision): Decision {
	return { ...d, steps: [], issues: [...d.issues], trace: d.trace && [...d.trace] };
}

/**
 * A create, update or adoption that would give an unprotected account the userName or e-mail address of a
 * protected one: it would pass for that account, and be protected from the next run on (a source value must not
 * make someone undeletable). A conflict naming the value; nothing is written for the person. Undefined: no such write.
 */
function refuseLookAlike(d: Decision, protection: ProtectionIndex): Decision | undefined {
	const found = lookAlikeWrite(d, protection);
	if (!found) return undefined;
	const { kind, hit } = found;
	const what = hit.path === 'userName' ? 'userName' : 'e-mail address';
	return conflict(
		withoutWrites(d),
		'protectedAccount',
		kind,
		`would give this person the ${what} ${show(String(hit.after))}, which names an account on the Protected Accounts list`,
		`Correct the ${what} in the source: a protected account's userName or e-mail address is never written onto another account.`,
	);
}

/** The first create, update or adoption of a decision that writes a protected account's userName or e-mail. */
function lookAlikeWrite(d: Decision, protection: ProtectionIndex): { kind: string; hit: AttributeChange } | undefined {
	if (protection.empty) return undefined;
	for (const step of d.steps) {
		if (step.kind !== 'create' && step.kind !== 'update' && step.kind !== 'adopt') continue;
		// The value first: it almost never names a protected account, so the path is rarely looked at.
		const hit = step.changes.find((c) => typeof c.after === 'string' && protection.namesProtected(c.after) && (c.path === 'userName' || isEmailPath(c.path)));
		if (hit) return { kind: step.kind, hit };
	}
	return undefined;
}

/** Whether a draft's create will be refused as a look-alike of a protected account (managers.ts: such a person is
 * not "created in this run", so nobody gets them as manager). */
export function createRefused(d: Decision, protection: ProtectionIndex): boolean {
	return d.steps.some((s) => s.kind === 'create') && lookAlikeWrite(d, protection)?.kind === 'create';
}

const HOW = { list: 'on the Protected Accounts list', group: 'a member of the protected group' } as const;

/** The run-wide facts protection reads: who is protected, and the Plek users the decisions write to by id. */
export interface ProtectionFacts {
	index: ProtectionIndex;
	usersById: ReadonlyMap<string, ScimUser>;
}

/** Call once every draft decision exists (group removals name their member by id only). */
export function protectionFacts(decisions: readonly Decision[], index: ProtectionIndex): ProtectionFacts {
	const usersById = new Map<string, ScimUser>();
	// The common case: no protected accounts, so no index of every user.
	if (!index.empty) for (const d of decisions) if (d.user) usersById.set(d.user.id, d.user);
	return { index, usersById };
}

/** The Plek user a decision writes to: the matched user, or (a group removal's own decision) the member named by the
 * step. A group add to an existing account always sits on that account's decision, so it has the user. */
function targetOf(d: Decision, usersById: ReadonlyMap<string, ScimUser>): ScimUser | undefined {
	if (d.user) return d.user;
	for (const step of d.steps) {
		if (step.kind === 'groupRemove' && 'userId' in step.userRef) return usersById.get(step.userRef.userId);
	}
	return undefined;
}

/**
 * The decision as protection leaves it: a write to a protected account dropped (rule 'protectedAccount', its rule's
 * trace kept), a look-alike refused, else the decision itself. Judged last, on the decision with its manager write,
 * before the guards: a protected deactivation is never counted.
 */
export function withProtection(d: Decision, facts: ProtectionFacts): Decision {
	// Stryker disable next-line ConditionalExpression: a shortcut only - without it an empty index matches nobody (equivalent mutant)
	if (facts.index.empty) return d;
	const user = targetOf(d, facts.usersById);
	const by = user && facts.index.reasonFor(user);
	if (!user || !by) return refuseLookAlike(d, facts.index) ?? d;
	if (d.steps.length === 0) {
		return d.trace ? { ...d, trace: [...d.trace, `Protected account (${HOW[by]}): nothing would be written anyway.`] } : d;
	}
	const dropped = d.steps.map((s) => s.kind);
	const trace = d.trace && [...d.trace, `Protected account (${HOW[by]}): not written - dropped ${dropped.join(', ')}.`];
	return { ...d, rule: 'protectedAccount', action: 'skipped', steps: [], trace, protectedBy: { by, user, dropped } };
}

/** The protected accounts the rules would have written to (for the Summary): one per account, its dropped writes
 * gathered from every decision (a group removal is a decision of its own). */
export function protectedMatchesOf(decisions: readonly Decision[]): ProtectedMatch[] {
	const matches = new Map<string, ProtectedMatch>();
	for (let i = 0; i < decisions.length; i++) {
		const d = decisions[i];
		const p = d.protectedBy;
		if (p === undefined) continue;
		const earlier = matches.get(p.user.id);
		if (earlier) earlier.dropped.push(...p.dropped);
		else matches.set(p.user.id, { key: d.key, userId: p.user.id, userName: p.user.userName, by: p.by, dropped: [...p.dropped] });
	}
	return [...matches.values()];
}
