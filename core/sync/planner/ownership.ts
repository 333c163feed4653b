// Group ownership, a run-wide fact decided once before any record: the Sync adds to and removes from a group only
// where the admin handed it over -
//   - groups listed in Managed Groups, or matching one of its `Prefix *` patterns (the allow-list for rules that
//     take the group's name from a field);
//   - groups the Sync created itself (marked: the group's externalId is `plek-sync:<name>`, set on create);
//   - for adds only, a group a rule names literally (a record's `groups` entry that is not in its `fieldGroups`).
// Being named in a record never makes a group owned, and the protected group is never owned: listing it in Managed
// Groups is a configuration error that blocks the run.
import type { ScimGroup } from '../../types';
import type { DirectoryIndex } from './directory';
import { groupNameProblem, groupSkeleton, normaliseGroupName } from './groupNames';

/** The externalId prefix of groups the Sync created (Create Missing Groups): recognised on every later read. */
export const CREATED_GROUP_MARK = 'plek-sync:';

/** The externalId a group created by the Sync carries. */
export function createdGroupExternalId(displayName: string): string {
	return `${CREATED_GROUP_MARK}${normaliseGroupName(displayName)}`;
}

export function isCreatedBySync(group: ScimGroup): boolean {
	return typeof group.externalId === 'string' && group.externalId.startsWith(CREATED_GROUP_MARK);
}

/** A Managed Groups entry ending in `*` (`Dept *`): every Plek group whose normalised name starts with the text before it. */
export function groupPattern(entry: string): string | undefined {
	const trimmed = entry.trim();
	return trimmed.endsWith('*') && trimmed.length > 1 ? trimmed.slice(0, -1).normalize('NFC').toLowerCase() : undefined;
}

export type OwnedBy = 'managedGroups' | 'created';

export interface GroupOwnership {
	/** Why the Sync owns a Plek group, or undefined (then only a literal rule may add to it; nothing removes). */
	ownerOf(group: ScimGroup): OwnedBy | undefined;
	/** The protected groups' normalised names: never a rule's target. */
	isProtected(normalised: string): boolean;
	/** A configuration error that blocks the run (not approvable), e.g. the protected group in Managed Groups. */
	problem?: string;
	/** The owned Plek groups: those listed by name first (in Managed Groups' order), then the others in Plek's order. */
	owned(): Array<{ group: ScimGroup; by: OwnedBy }>;
}

export function indexOwnership(managedGroups: readonly string[], protectedGroups: readonly string[], dir: DirectoryIndex): GroupOwnership {
	const names = new Set<string>();
	const prefixes: string[] = [];
	for (const entry of managedGroups) {
		const prefix = groupPattern(entry);
		if (prefix !== undefined) prefixes.push(prefix);
		else if (entry.trim() !== '*') names.add(normaliseGroupName(entry));
	}
	const protectedNames = new Set(protectedGroups.map(normaliseGroupName));
	const listedProtected = protectedGroups.filter((g) => names.has(normaliseGroupName(g)));
	const problem = listedProtected.length > 0
		? `the protected group ${listedProtected.map((g) => JSON.stringify(g)).join(', ')} is listed in Managed Groups; the Sync never writes to a protected group. Remove it from Managed Groups`
		: undefined;
	const ownerOf = (group: ScimGroup): OwnedBy | undefined => {
		const name = normaliseGroupName(group.displayName);
		if (protectedNames.has(name)) return undefined;
		if (names.has(name) || prefixes.some((p) => name.startsWith(p))) return 'managedGroups';
		return isCreatedBySync(group) ? 'created' : undefined;
	};
	const owned = () => {
		const list: Array<{ group: ScimGroup; by: OwnedBy }> = [];
		const listed = new Set<ScimGroup>();
		for (const name of names) {
			const group = dir.groupsByName.get(name);
			if (!group || group === 'ambiguous' || protectedNames.has(name)) continue;
			list.push({ group, by: 'managedGroups' });
			listed.add(group);
		}
		for (const group of dir.groupsByName.values()) {
			const by = group === 'ambiguous' || listed.has(group) ? undefined : ownerOf(group);
			if (by) list.push({ group: group as ScimGroup, by });
		}
		return list;
	};
	return { isProtected: (normalised) => protectedNames.has(normalised), problem, ownerOf, owned };
}

/** What a name in a record's `groups` resolves to (one answer per distinct spelling, cached per plan). */
export type GroupTarget =
	| { kind: 'existing'; group: ScimGroup; owned: OwnedBy | undefined }
	| { kind: 'missing'; name: string; normalised: string }
	| { kind: 'ambiguous' }
	| { kind: 'protected' }
	| { kind: 'refused'; reason: string };

export interface GroupResolver {
	resolve(name: string): GroupTarget;
}

/** Resolves record group names against Plek's groups: exact after the one normalisation, else refused or missing. */
export function groupResolver(dir: DirectoryIndex, ownership: GroupOwnership): GroupResolver {
	const cache = new Map<string, GroupTarget>();
	let skeletons: Map<string, string> | undefined;
	/** Existing group names by skeleton (built when the first name is not found as it is). */
	const confusableWith = (normalised: string): string | undefined => {
		if (!skeletons) {
			skeletons = new Map();
			for (const [name, group] of dir.groupsByName) skeletons.set(groupSkeleton(name), group === 'ambiguous' ? name : group.displayName);
		}
		return skeletons.get(groupSkeleton(normalised));
	};
	const decide = (raw: string): GroupTarget => {
		const normalised = normaliseGroupName(raw);
		const problem = groupNameProblem(raw.trim());
		if (problem) return { kind: 'refused', reason: problem };
		if (ownership.isProtected(normalised)) return { kind: 'protected' };
		const group = dir.groupsByName.get(normalised);
		if (group === 'ambiguous') return { kind: 'ambiguous' };
		if (group) return { kind: 'existing', group, owned: ownership.ownerOf(group) };
		const twin = confusableWith(normalised);
		if (twin !== undefined) return { kind: 'refused', reason: `it looks like the existing group ${JSON.stringify(twin)} but is not the same name (a look-alike)` };
		return { kind: 'missing', name: raw.normalize('NFC').trim(), normalised };
	};
	return {
		resolve(name) {
			let target = cache.get(name);
			if (!target) cache.set(name, (target = decide(name)));
			return target;
		},
	};
}
