// Protected accounts: Plek users no node may deactivate, rename or move out of groups (break-glass admins,
// service and test accounts). Declared on the Plek credential, so every Plek node sees them; the Sync's own
// options add to them. Free of n8n: the Sync's planner and the Plek actions node share this one rule.
//
// An entry names an account by userName, e-mail address, Plek id or externalId. userNames and e-mail addresses
// match after one normalisation (Unicode NFKC, invisible characters removed, trimmed, lower case), so case,
// spaces and look-alike spellings of the same name cannot slip past; ids match exactly (after trimming), since
// two different externalIds may differ only in case (a leaver wrongly protected keeps their access).
import type { ScimGroup, ScimUser } from './types';

/** What the credential (or the Sync's options) protect: account entries and group names. */
export interface ProtectionSettings {
	accounts: readonly string[];
	groups: readonly string[];
}

/** Where a protection was declared: the credential, or the Sync's own options. */
export type ProtectionSource = 'credential' | 'options';

export const NO_PROTECTION: Readonly<ProtectionSettings> = Object.freeze({ accounts: [], groups: [] });

// Default-ignorable code points (zero-width spaces and joiners, bidi marks, soft hyphen, variation selectors...):
// invisible in a name, so they never make two names differ.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

// Printable ASCII has nothing for NFKC or the invisible-character rule to change: the common case skips both.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The comparable form of a userName, e-mail address or group name: NFKC, no invisible characters, trimmed, lower case. */
export function normaliseName(value: string): string {
	if (PRINTABLE_ASCII.test(value)) return value.trim().toLowerCase();
	return value.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
}

/** Splits a list typed in a field (commas, semicolons or line breaks), or takes an array; trimmed, empty and repeated entries dropped. */
export function parseProtectedList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? value.split(/[,;\r\n]+/) : [];
	const out: string[] = [];
	const seen = new Set<string>();
	for (const part of parts) {
		const entry = part.trim();
		if (entry === '' || seen.has(entry)) continue;
		seen.add(entry);
		out.push(entry);
	}
	return out;
}

/** The protection declared on the Plek credential (its Protected Accounts and Protected Group fields). */
export function credentialProtection(credential: object | undefined): ProtectionSettings {
	const fields = (credential ?? {}) as { protectedAccounts?: unknown; protectedGroup?: unknown };
	const group = typeof fields.protectedGroup === 'string' ? fields.protectedGroup.trim() : '';
	return { accounts: parseProtectedList(fields.protectedAccounts), groups: group === '' ? [] : [group] };
}

/** Both protections together (the Sync's options add to the credential's); groups deduplicated by normalised name. */
export function mergeProtection(...settings: ProtectionSettings[]): ProtectionSettings {
	const groups: string[] = [];
	const seen = new Set<string>();
	for (const group of settings.flatMap((s) => s.groups)) {
		const name = normaliseName(group);
		if (name === '' || seen.has(name)) continue;
		seen.add(name);
		groups.push(group.trim());
	}
	return { accounts: parseProtectedList(settings.flatMap((s) => s.accounts)), groups };
}

/** Which identifier of the account matched an entry. */
export type ProtectedBy = 'userName' | 'email' | 'id' | 'externalId';

/** The e-mail addresses of a Plek user (every `emails[].value`). */
function emailsOf(user: ScimUser): string[] {
	const emails = Array.isArray(user.emails) ? (user.emails as unknown[]) : [];
	return emails.flatMap((e) => (e && typeof e === 'object' && typeof (e as { value?: unknown }).value === 'string' ? [(e as { value: string }).value] : []));
}

/** The account entries as a lookup: names (userNames, e-mails) normalised, ids exact. */
export class ProtectedAccounts {
	private readonly names = new Set<string>();
	private readonly ids = new Set<string>();

	constructor(entries: readonly string[]) {
		for (const entry of entries) {
			const id = entry.trim();
			if (id === '') continue;
			this.ids.add(id);
			this.names.add(normaliseName(id));
		}
	}

	get empty(): boolean {
		return this.ids.size === 0;
	}

	/** Why the user is on the list (the first identifier that matched), or undefined. */
	match(user: ScimUser): ProtectedBy | undefined {
		if (this.empty) return undefined;
		if (typeof user.userName === 'string' && this.names.has(normaliseName(user.userName))) return 'userName';
		if (typeof user.id === 'string' && this.ids.has(user.id)) return 'id';
		if (typeof user.externalId === 'string' && this.ids.has(user.externalId)) return 'externalId';
		return emailsOf(user).some((email) => this.names.has(normaliseName(email))) ? 'email' : undefined;
	}

	/** Whether a userName or e-mail address about to be written names a protected account. */
	namesProtected(value: string): boolean {
		return this.names.has(normaliseName(value));
	}
}

/** The Plek ids of the members of the groups whose name normalises to a protected group's. */
export function protectedGroupMembers(groups: readonly ScimGroup[], protectedGroups: readonly string[]): Set<string> {
	const wanted = new Set(protectedGroups.map(normaliseName));
	const members = new Set<string>();
	for (const group of groups) {
		if (typeof group.displayName !== 'string' || !wanted.has(normaliseName(group.displayName))) continue;
		for (const member of group.members ?? []) if (typeof member?.value === 'string') members.add(member.value);
	}
	return members;
}

/** Whether a group name is one of the protected groups (after normalisation). */
export function isProtectedGroupName(name: string, protectedGroups: readonly string[]): boolean {
	const normalised = normaliseName(name);
	return protectedGroups.some((group) => normaliseName(group) === normalised);
}

/** Why an account is protected, in words for an error: `its e-mail address is on the credential's Protected Accounts`. */
export function describeMatch(by: ProtectedBy | 'group', source: ProtectionSource, group?: string): string {
	const where = source === 'credential' ? "the credential's" : "the Sync's";
	if (by === 'group') return `it is a member of ${where} Protected Group${group ? ` "${group}"` : ''}`;
	const what = { userName: 'its userName', email: 'its e-mail address', id: 'its Plek ID', externalId: 'its External ID' }[by];
	return `${what} is on ${where} Protected Accounts`;
}
