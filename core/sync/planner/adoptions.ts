// Resolve adoptions once every record is decided: an unmanaged account claimed by exactly one record is
// adopted; claimed by several, none is (each claimant gets a conflict).
import type { ParsedUserRecord } from '../../record';
import type { ScimGroup, ScimUser } from '../../types';
import { conflict, type Decision, type PlanContext } from './decision';
import { describeUser, lower, show } from './text';
import { normaliseGroupName } from './groupNames';
import { decideExisting, type AdoptionClaim } from './decide';

function claimsByUser(claims: readonly AdoptionClaim[]): Map<ScimUser, AdoptionClaim[]> {
	const byUser = new Map<ScimUser, AdoptionClaim[]>();
	for (const c of claims) {
		const list = byUser.get(c.user);
		if (list) list.push(c);
		else byUser.set(c.user, [c]);
	}
	return byUser;
}

/** Why an unmanaged account is not adopted even with one claimant: adoption never renames, and never hands over an
 * account that is in a group the Sync does not own (its memberships would pass to the source). */
function adoptionRefusal(rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext): { reason: string; whatToDo: string } | undefined {
	if (rec.userName !== undefined && typeof user.userName === 'string' && lower(user.userName) !== lower(rec.userName)) {
		return {
			reason: `the unmanaged Plek account id ${user.id} has userName ${show(user.userName)}, the record ${show(rec.userName)}: adoption never renames an account; not adopted, nothing created.`,
			whatToDo: 'If it is the same person, make the userName in the source equal to the account\'s (or rename the account in Plek first); otherwise correct the e-mail address.',
		};
	}
	const group = unownedGroupOf(rec, user, ctx);
	if (group === undefined) return undefined;
	return {
		reason: `the unmanaged Plek account id ${user.id} (userName ${show(user.userName)}) is a member of ${show(group)}, a group the Sync does not own: adopting it would hand that membership to the source; not adopted, nothing created.`,
		whatToDo: 'Take the account out of that group in Plek, hand the group over to the Sync (Managed Groups), or link the account by hand (set its externalId to the mapping key).',
	};
}

/** The first group the account is in that the Sync does not own and the record's own literal rules do not name. */
function unownedGroupOf(rec: ParsedUserRecord, user: ScimUser, ctx: PlanContext): string | undefined {
	for (const [groupId, members] of ctx.dir.membersByGroup) {
		if (!members.has(user.id)) continue;
		const group = ctx.dir.groupsById.get(groupId) as ScimGroup;
		if (ctx.ownership.ownerOf(group) || namesLiterally(rec, normaliseGroupName(group.displayName))) continue;
		return group.displayName;
	}
	return undefined;
}

function namesLiterally(rec: ParsedUserRecord, normalised: string): boolean {
	const fields = rec.fieldGroups ?? [];
	return rec.groups.some((g) => normaliseGroupName(g) === normalised && !fields.some((f) => normaliseGroupName(f) === normalised));
}

export function resolveAdoptions(claims: readonly AdoptionClaim[], ctx: PlanContext): Decision[] {
	const decisions: Decision[] = [];
	for (const [user, list] of claimsByUser(claims)) {
		if (list.length > 1) {
			const keys = list.map((c) => show(c.record.key)).join(', ');
			for (const c of list) {
				decisions.push(
					conflict(
						c.decision,
						'adoptionAmbiguous',
						'adopt',
						`the unmanaged Plek account id ${user.id} (userName ${show(user.userName)}) matches ${list.length} input records (${keys}); none adopted, nothing created.`,
						'Make userName / e-mail unique per person in the source.',
						user.id,
					),
				);
			}
			continue;
		}
		const { decision: d, record, by } = list[0];
		const refused = adoptionRefusal(record, user, ctx);
		if (refused) {
			decisions.push(conflict(d, 'unmanagedNotTouched', 'adopt', refused.reason, refused.whatToDo, user.id));
			continue;
		}
		d.trace?.push(`Adopted by ${by}: ${describeUser(user)} becomes managed under key ${show(record.key)}.`);
		decisions.push(decideExisting(d, record, user, ctx, by));
	}
	return decisions;
}
