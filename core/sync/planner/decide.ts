// Decide one user: (record, match, context) -> Decision. One function per situation of the Sync table.
import { CORE_USER_SCHEMA, buildPatchOperations, isEmptyValue, writeScimPath } from '../../scimPath';
import type { ParsedUserRecord } from '../../record';
import type { ScimUser, ScimUserDraft } from '../../types';
import type { AttributeChange } from '../types';
import { diffAttributes } from './attributes';
import { activationStep, addIssue, addStep, conflict, decision, type Decision, type PlanContext } from './decision';
import { describeUser, show } from './text';
import { planGroupAdds } from './groups';
import { NotFound, type Holders, type Match } from './match';
import { holdActivation, preHireCreate } from './prehires';

export type AdoptedBy = 'userName' | 'email';

/** Source says inactive: deactivate an active Plek user (no profile or group changes for leavers). */
function decideLeaver(d: Decision, user: ScimUser, ctx: PlanContext): Decision {
	if (user.active === false) {
		d.rule = 'alreadyInactive';
		d.action = 'unchanged';
		d.trace?.push('Source says inactive and the Plek user is already inactive: nothing to do.');
	} else if (!ctx.options.deactivate) {
		d.rule = 'deactivateSwitchedOff';
		d.action = 'skipped';
		d.trace?.push('Source says inactive, but deactivation is switched off (option "deactivate"): skipped.');
	} else {
		d.rule = 'deactivateLeaver';
		d.trace?.push('Source says inactive, Plek user is active -> deactivate (PATCH active=false).');
		addStep(d, activationStep('deactivate', d.key as string, user, 'inactive in source'));
	}
	return d;
}

/** Reactivate a Plek user that is inactive while the source says active (unless switched off). */
function planReactivation(d: Decision, rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext): void {
	if (user.active !== false || holdActivation(d, rec, ctx.preHires)) return;
	if (!ctx.options.reactivate) {
		d.trace?.push('Plek user is inactive, source says active, but reactivation is switched off (option "reactivate").');
		return;
	}
	d.trace?.push('Plek user is inactive, source says active -> reactivate (PATCH active=true).');
	addStep(d, activationStep('reactivate', d.key as string, user, 'active in source'));
}

/** Who a PATCH goes to; built only for a write (most matched users are unchanged, and their meta is not read). */
function patchTarget(rec: ParsedUserRecord, user: ScimUser) {
	return { key: rec.key, userId: user.id, userName: user.userName, version: user.meta?.version, lastModified: user.meta?.lastModified };
}

/** The profile PATCH of a matched user: an adoption (externalId = key first) or an update of what differs. */
function planProfilePatch(d: Decision, rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext, adoptedBy?: AdoptedBy): void {
	const { changes, writes } = diffAttributes(rec, user, ctx, d, adoptedBy !== undefined);
	if (adoptedBy) {
		d.trace?.push(`Adopt: PATCH externalId=${show(rec.key)}${writes.length ? ` and ${writes.length} attribute(s)` : ''}.`);
		addStep(d, {
			kind: 'adopt',
			...patchTarget(rec, user),
			matchedBy: adoptedBy,
			operations: [{ op: 'replace', path: 'externalId', value: rec.key }, ...buildPatchOperations(user, writes)],
			changes: [{ path: 'externalId', before: undefined, after: rec.key }, ...changes],
		});
	} else if (writes.length > 0) {
		const operations = buildPatchOperations(user, writes);
		d.trace?.push(`Update: PATCH /Users/${user.id} ${JSON.stringify(operations)}.`);
		addStep(d, { kind: 'update', ...patchTarget(rec, user), operations, changes });
	}
}

/** A record matched to a Plek user (by externalId, or adopted). */
export function decideExisting(d: Decision, rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext, adoptedBy?: AdoptedBy): Decision {
	d.user = user;
	d.rule = adoptedBy ? 'adopted' : 'matched';
	if (!rec.active) return decideLeaver(d, user, ctx);
	planProfilePatch(d, rec, user, ctx, adoptedBy);
	planReactivation(d, rec, user, ctx);
	planGroupAdds(d, rec, user.id, ctx);
	if (d.steps.length === 0 && d.issues.length === 0) {
		d.action = 'unchanged';
		d.trace?.push('Decision: unchanged, nothing to write.');
	}
	return d;
}

/** The POST /Users body and its attribute changes: externalId = key, userName, active, every non-empty value. */
function createBody(rec: ParsedUserRecord, active: boolean): { user: ScimUserDraft; changes: AttributeChange[] } {
	const user: Record<string, unknown> = { schemas: [CORE_USER_SCHEMA], externalId: rec.key, userName: rec.userName, active };
	const changes: AttributeChange[] = [
		{ path: 'userName', before: undefined, after: rec.userName },
		{ path: 'active', before: undefined, after: active },
	];
	for (const entry of rec.paths) {
		const value = rec.profile[entry.path];
		if (isEmptyValue(value)) continue;
		writeScimPath(user, entry.parsed, value);
		changes.push({ path: entry.path, before: undefined, after: value });
	}
	return { user: user as ScimUserDraft, changes };
}

/** Create a user for an active record that nothing in Plek claims (unless switched off or no userName). */
function decideCreate(d: Decision, rec: ParsedUserRecord, ctx: PlanContext): Decision {
	if (!ctx.options.create) {
		d.rule = 'createSwitchedOff';
		d.action = 'skipped';
		d.trace?.push('Would be created, but creation is switched off (option "create"): skipped.');
		return d;
	}
	const start = preHireCreate(d, rec, ctx.preHires);
	if (start === 'notYet') return d;
	if (rec.userName === undefined) {
		d.rule = 'noUserNameToCreate';
		d.action = 'invalid';
		addIssue(d, {
			type: 'invalid',
			key: rec.key,
			action: 'create',
			reason: 'The record has no userName, so the user cannot be created.',
			whatToDo: 'Map a userName (usually the work e-mail or UPN) in the Plek Mapper.',
		});
		d.trace?.push('Not in Plek and no userName: cannot create (issue).');
		return d;
	}
	const { user, changes } = createBody(rec, start === 'active');
	d.rule = start === 'active' ? 'create' : 'preHireCreate';
	const create = { kind: 'create' as const, key: rec.key, user, groups: [] as string[], changes };
	addStep(d, create);
	planGroupAdds(d, rec, undefined, ctx);
	for (const step of d.steps) if (step.kind === 'groupAdd') create.groups.push(step.groupName);
	d.trace?.push(`Create: POST /Users ${JSON.stringify(user)}.`);
	return d;
}

const KEY_MUST_NOT_CHANGE = (userId: string, key: string) =>
	`The mapping key must never change. Restore the old key in the mapping, or set the externalId of Plek user ${userId} to ${show(key)} (Plek node: update user) and run again.`;

/** How a key-changed conflict's reason starts (the Sync node recognises it to suggest a reset). */
export const KEY_CHANGED_REASON = 'mapping key changed';

/** A new key whose userName / e-mail belongs to a managed user whose key vanished: the key changed. */
function keyChanged(d: Decision, rec: ParsedUserRecord, h: Extract<Holders, { kind: 'keyChanged' }>): Decision {
	const held =
		h.via === 'userName'
			? `userName ${show(rec.userName)} belongs to Plek user id ${h.user.id}`
			: `e-mail ${show(h.emails.join(', '))} belongs to Plek user id ${h.user.id} (userName ${show(h.user.userName)})`;
	return conflict(
		d,
		'keyChanged',
		'create',
		`${KEY_CHANGED_REASON}: ${held}, managed under key ${show(h.user.externalId)}, which is no longer in the input. The new key ${show(rec.key)} is probably the same person; nothing was created.`,
		KEY_MUST_NOT_CHANGE(h.user.id, rec.key),
		h.user.id,
	);
}

/** An adoption candidate: decided later, when every record's claims are known (resolveAdoptions). */
export interface AdoptionClaim {
	decision: Decision;
	record: ParsedUserRecord;
	user: ScimUser;
	by: AdoptedBy;
}

function claim(d: Decision, rec: ParsedUserRecord, user: ScimUser, by: AdoptedBy): AdoptionClaim {
	d.rule = 'adoptionCandidate';
	d.trace?.push(`Adoption candidate by ${by === 'email' ? 'e-mail' : 'userName'}: ${describeUser(user)}.`);
	return { decision: d, record: rec, user, by };
}

/** An unmanaged account holds the userName: adopt it (when allowed), else a conflict. */
function unmanagedUserName(d: Decision, rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext): Decision | AdoptionClaim {
	if (ctx.adopt.userName) return claim(d, rec, user, 'userName');
	return conflict(
		d,
		'unmanagedNotTouched',
		'create',
		`userName ${show(rec.userName)} is already used by an unmanaged Plek account (id ${user.id}, no externalId); not created.`,
		'If it is the same person, enable "Adopt Unmanaged Accounts" (by userName) so the sync takes the account over; otherwise change the userName.',
		user.id,
	);
}

/** A record whose key is not in Plek. */
export function decideNew(d: Decision, rec: ParsedUserRecord, holders: Holders, ctx: PlanContext): Decision | AdoptionClaim {
	d.trace?.push(`Plek: no user with externalId ${show(rec.key)}.`);
	if (!rec.active) {
		d.rule = 'leaverNotCreated';
		d.action = 'skipped';
		d.trace?.push('Source says inactive and the key is not in Plek: skipped (leavers are never created).');
		return d;
	}
	if (holders.kind !== 'none' && holders.kind !== 'unmanagedEmail' && !(holders.kind === 'keyChanged' && holders.via === 'email')) {
		d.trace?.push(`userName ${show(rec.userName)} belongs to ${describeUser(holders.user)}.`);
	}
	switch (holders.kind) {
		case 'userNameInUse':
			return conflict(
				d,
				'userNameTaken',
				'create',
				`userName ${show(rec.userName)} already used by ${show(holders.otherKey)} (Plek user id ${holders.user.id}); not created.`,
				`Two people map to the same userName: fix the userName of ${show(rec.key)} or ${show(holders.otherKey)} in the source or mapping.`,
				holders.user.id,
			);
		case 'keyChanged':
			return keyChanged(d, rec, holders);
		case 'unmanagedUserName':
			return unmanagedUserName(d, rec, holders.user, ctx);
		case 'unmanagedEmail':
			if (holders.users.length === 1) return claim(d, rec, holders.users[0], 'email');
			return conflict(
				d,
				'adoptionAmbiguous',
				'adopt',
				`e-mail ${show(holders.emails.join(', '))} matches ${holders.users.length} unmanaged Plek accounts (ids ${holders.users.map((u) => u.id).join(', ')}); none adopted, nothing created.`,
				'Merge or remove the duplicate Plek accounts, or adopt by userName.',
			);
		default:
			return decideCreate(d, rec, ctx);
	}
}

/** Decide one record from its match. */
export function decideRecord(rec: ParsedUserRecord, match: Match, ctx: PlanContext): Decision | AdoptionClaim {
	const d = decision(ctx, rec.key, 'matched', rec);
	d.trace?.push(
		`Input record #${rec.index + 1}: key ${show(rec.key)}, userName ${show(rec.userName)}, active=${rec.active}, ${rec.paths.length} profile value(s), groups ${show(rec.groups)}.`,
	);
	if (match instanceof NotFound) {
		if (match.kind === 'new') return decideNew(d, rec, match.holders, ctx);
		return conflict(d, 'duplicateExternalId', 'match', `several Plek users have externalId ${show(rec.key)}; none was changed.`, 'Remove or clear the externalId of the duplicate Plek accounts so exactly one remains.');
	}
	d.trace?.push(`Plek: found by externalId -> ${describeUser(match)}.`);
	return decideExisting(d, rec, match, ctx);
}
