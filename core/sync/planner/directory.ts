// Index Plek's current users and groups once per plan. The userName and e-mail indexes are built on first use:
// a run where every record is found by externalId never needs them.
import type { ScimGroup, ScimUser } from '../../types';
import { normaliseGroupName } from './groupNames';

export interface CurrentState {
	users: ScimUser[];
	groups: ScimGroup[];
}

export interface DirectoryIndex {
	/** Plek's user list as given: the positions `byExternalId` holds are positions in it. */
	listed: readonly ScimUser[];
	/** Managed users (with an externalId) by externalId -> position in `listed` (a number: no object per user);
	 * several users with one externalId: the first holds it, and the key is in duplicates. */
	byExternalId: Map<string, number>;
	/** How many input records (valid or not) carry each managed user's key, by position: presence is counted
	 * here, on the lookup matching needs anyway, instead of in a second set of every input key. */
	inInput: Uint32Array;
	/** The managed user holding an externalId. */
	managedUser(externalId: string): ScimUser | undefined;
	duplicateExternalIds: Set<string>;
	/** Managed users that are active in Plek: the base of the percentage and source-size guards. */
	managedActive: number;
	/** Plek user holding a userName (compared case-insensitively). */
	userByName(userName: string): ScimUser | undefined;
	/** Plek users holding an e-mail address (compared case-insensitively). */
	usersByEmail(email: string): readonly ScimUser[];
	/** Plek groups by normalised displayName (groupNames.ts); several groups with one name: 'ambiguous'. */
	groupsByName: Map<string, ScimGroup | 'ambiguous'>;
	membersByGroup: Map<string, Set<string>>;
	/** Every Plek group by id (those sharing a name too). */
	groupsById: Map<string, ScimGroup>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A user's e-mail values (attribute names compared case-insensitively, as SCIM does). */
export function userEmails(user: ScimUser): string[] {
	let list: unknown;
	for (const key of Object.keys(user)) if (key.toLowerCase() === 'emails') list = user[key];
	if (!Array.isArray(list)) return [];
	const result: string[] = [];
	for (const element of list) {
		if (!isObject(element)) continue;
		for (const key of Object.keys(element)) {
			const value = element[key];
			if (key.toLowerCase() === 'value' && typeof value === 'string' && value !== '') result.push(value);
		}
	}
	return result;
}

function indexByName(users: readonly ScimUser[]): Map<string, ScimUser> {
	const byName = new Map<string, ScimUser>();
	for (const user of users) if (typeof user.userName === 'string') byName.set(user.userName.toLowerCase(), user);
	return byName;
}

function indexByEmail(users: readonly ScimUser[]): Map<string, ScimUser[]> {
	const byEmail = new Map<string, ScimUser[]>();
	for (const user of users) {
		for (const email of userEmails(user)) {
			const key = email.toLowerCase();
			const list = byEmail.get(key);
			if (!list) byEmail.set(key, [user]);
			else if (!list.includes(user)) list.push(user);
		}
	}
	return byEmail;
}

function indexGroups(groups: readonly ScimGroup[], index: DirectoryIndex): void {
	for (const group of groups) {
		if (!group || typeof group.displayName !== 'string') continue;
		const name = normaliseGroupName(group.displayName);
		index.groupsByName.set(name, index.groupsByName.has(name) ? 'ambiguous' : group);
		const members = new Set<string>();
		for (const member of group.members ?? []) if (member && typeof member.value === 'string') members.add(member.value);
		index.membersByGroup.set(group.id, members);
		index.groupsById.set(group.id, group);
	}
}

const isUser = (user: ScimUser | null | undefined): user is ScimUser => !!user && typeof user.id === 'string';

export function indexDirectory(current: CurrentState): DirectoryIndex {
	const all = current.users ?? [];
	// Entries without an id are not users: skipped below, and left out of the list the lazy indexes read (a copy made
	// only when there are any, so the common case copies nothing).
	let users: readonly ScimUser[] = all;
	let byName: Map<string, ScimUser> | undefined;
	let byEmail: Map<string, ScimUser[]> | undefined;
	const byExternalId = new Map<string, number>();
	const index: DirectoryIndex = {
		listed: all,
		byExternalId,
		inInput: new Uint32Array(all.length),
		managedUser: (externalId) => {
			const position = byExternalId.get(externalId);
			return position === undefined ? undefined : all[position];
		},
		duplicateExternalIds: new Set(),
		managedActive: 0,
		userByName: (userName) => (byName ??= indexByName(users)).get(userName.toLowerCase()),
		usersByEmail: (email) => (byEmail ??= indexByEmail(users)).get(email.toLowerCase()) ?? [],
		groupsByName: new Map(),
		membersByGroup: new Map(),
		groupsById: new Map(),
	};
	let withoutId = false;
	for (let i = 0; i < all.length; i++) {
		const user = all[i];
		if (!isUser(user)) {
			withoutId = true;
			continue;
		}
		const externalId = user.externalId;
		if (typeof externalId !== 'string' || externalId === '') continue;
		// One hash operation per user: the size tells a repeated externalId (whose entry is put right below).
		const size = byExternalId.size;
		byExternalId.set(externalId, i);
		if (byExternalId.size === size) index.duplicateExternalIds.add(externalId);
		if (user.active !== false) index.managedActive++;
	}
	if (withoutId) users = all.filter(isUser);
	// Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut only - without duplicates keepFirstHolders changes nothing (equivalent mutant)
	if (index.duplicateExternalIds.size > 0) keepFirstHolders(all, index);
	indexGroups(current.groups ?? [], index);
	return index;
}

/** A repeated externalId's entry holds the first user with it (in Plek's order), as for every other lookup. */
function keepFirstHolders(all: readonly ScimUser[], index: DirectoryIndex): void {
	const done = new Set<string>();
	for (let i = 0; i < all.length; i++) {
		const user = all[i];
		if (!isUser(user)) continue;
		const externalId = user.externalId as string;
		if (!index.duplicateExternalIds.has(externalId) || done.has(externalId)) continue;
		done.add(externalId);
		index.byExternalId.set(externalId, i);
	}
}
