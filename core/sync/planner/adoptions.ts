// Resolve adoptions once every record is decided: an unmanaged account claimed by exactly one record is
// adopted; claimed by several, none is (each claimant gets a conflict).
import type { ScimUser } from '../../types';
import { conflict, describeUser, show, type Decision, type PlanContext } from './decision';
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
		d.trace?.push(`Adopted by ${by}: ${describeUser(user)} becomes managed under key ${show(record.key)}.`);
		decisions.push(decideExisting(d, record, user, ctx, by));
	}
	return decisions;
}
