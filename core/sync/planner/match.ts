// Match one record to Plek: by externalId first; a record not found is compared with the accounts that hold
// its userName / e-mail (adoption candidates, key changes, names in use). Pure: reads the index only.
import { recordEmails, type ParsedUserRecord } from '../../record';
import type { ScimUser } from '../../types';
import { isManaged, type PlanContext } from './decision';
import type { ManagedEntry } from './directory';

export type Match =
	/** Found by externalId: the directory entry itself. */
	| ManagedEntry
	/** Several Plek users carry this externalId: none is touched. */
	| { kind: 'duplicateExternalId' }
	/** Not found by externalId; what holds its userName / e-mails. */
	| { kind: 'new'; holders: Holders };

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

const DUPLICATE: Match = Object.freeze({ kind: 'duplicateExternalId' as const });
const NO_HOLDERS: Holders = Object.freeze({ kind: 'none' as const });

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
 * Matches one record: `entry` is its key's directory entry (looked up once, while checking the input).
 * A found user is returned as the entry's user (no allocation per record); otherwise who holds its names.
 */
export function matchRecord(rec: ParsedUserRecord, entry: ManagedEntry | undefined, ctx: PlanContext): Match {
	if (ctx.dir.duplicateExternalIds.size > 0 && ctx.dir.duplicateExternalIds.has(rec.key)) return DUPLICATE;
	if (entry) return entry;
	return { kind: 'new', holders: rec.active ? findHolders(rec, ctx) : NO_HOLDERS };
}
