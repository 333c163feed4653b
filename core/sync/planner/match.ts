// Match one record to Plek: by externalId first; a record not found is compared with the accounts that hold
// its userName / e-mail (adoption candidates, key changes, names in use). Pure: reads the index only.
import { recordEmails, type ParsedUserRecord } from '../../record';
import type { ScimUser } from '../../types';
import type { PlanContext } from './decision';
import { isManaged } from './text';

/** A record not found by externalId: several Plek users carry it (none is touched), or none does (`holders`: what
 * holds its userName / e-mails). A class, so that no Plek user, whatever attributes it has, is taken for one. */
export class NotFound {
	constructor(
		readonly kind: 'duplicateExternalId' | 'new',
		readonly holders: Holders,
	) {}
}

/** Found by externalId: the managed Plek user itself (no object per record); else why not. */
export type Match = ScimUser | NotFound;

export type Holders =
	| { kind: 'none' }
	/** A managed user holds the userName and its key is still in the input: two people, one userName. */
	| { kind: 'userNameInUse'; user: ScimUser; otherKey: string }
	/** A managed user whose key vanished holds the userName / an e-mail: the mapping key changed. */
	| { kind: 'keyChanged'; user: ScimUser; via: 'userName' | 'email'; emails: string[] }
	/** An unmanaged account holds the userName. */
	| { kind: 'unmanagedUserName'; user: ScimUser }
	/** Unmanaged accounts hold one of the e-mails (only looked for when adoption by e-mail is on). */
	| { kind: 'unmanagedEmail'; users: ScimUser[]; emails: string[] };

const NO_HOLDERS: Holders = Object.freeze({ kind: 'none' as const });
const DUPLICATE = Object.freeze(new NotFound('duplicateExternalId', NO_HOLDERS));

function emailHolders(emails: readonly string[], ctx: PlanContext): ScimUser[] {
	const holders: ScimUser[] = [];
	for (const email of emails) for (const user of ctx.dir.usersByEmail(email)) if (!holders.includes(user)) holders.push(user);
	return holders;
}

/** Who holds the record's userName / e-mails (for a record not found by externalId). */
export function findHolders(rec: ParsedUserRecord, ctx: PlanContext): Holders {
	const byName = rec.userName !== undefined ? ctx.dir.userByName(rec.userName) : undefined;
	if (byName && isManaged(byName)) {
		const otherKey = byName.externalId as string;
		if (ctx.presentKeys.has(otherKey)) return { kind: 'userNameInUse', user: byName, otherKey };
		return { kind: 'keyChanged', user: byName, via: 'userName', emails: [] };
	}
	const emails = recordEmails(rec);
	const holders = emails.length > 0 ? emailHolders(emails, ctx) : [];
	const vanished = holders.find((u) => isManaged(u) && !ctx.presentKeys.has(u.externalId as string));
	if (vanished) return { kind: 'keyChanged', user: vanished, via: 'email', emails };
	if (byName) return { kind: 'unmanagedUserName', user: byName };
	const unmanaged = ctx.adopt.email ? holders.filter((u) => !isManaged(u)) : [];
	return unmanaged.length > 0 ? { kind: 'unmanagedEmail', users: unmanaged, emails } : NO_HOLDERS;
}

/**
 * Matches one record: `found` is the managed user holding its key (looked up once, while checking the input),
 * returned as it is (no allocation per record); otherwise who holds its names.
 */
export function matchRecord(rec: ParsedUserRecord, found: ScimUser | undefined, ctx: PlanContext): Match {
	if (ctx.dir.duplicateExternalIds.size > 0 && ctx.dir.duplicateExternalIds.has(rec.key)) return DUPLICATE;
	if (found) return found;
	return new NotFound('new', rec.active ? findHolders(rec, ctx) : NO_HOLDERS);
}
