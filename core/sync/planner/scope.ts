// Scoped syncs: deactivateMissing limited to one part of the organisation (a Plek group, or an attribute value
// such as the enterprise organization / division), so each part can sync in its own run without deactivating
// another part's people. The guards count per scope: their base is the scope's managed active users.
import { readScimPath } from '../../scimPath';
import type { ScimUser } from '../../types';
import type { MissingScope } from '../types';
import type { DirectoryIndex } from './directory';
import { normaliseGroupName } from './groupNames';

export interface Scope {
	inScope: (user: ScimUser) => boolean;
	/** Managed active users in the scope (the whole directory without a scope). */
	managedActive: number;
}

/** Keeps a well-formed scope, drops anything else (an empty group or attribute name is no scope). */
export function resolveMissingScope(value: unknown): MissingScope | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const v = value as Record<string, unknown>;
	if (typeof v.group === 'string' && v.group.trim() !== '') return { group: v.group.trim() };
	if (typeof v.attribute === 'string' && v.attribute.trim() !== '' && typeof v.value === 'string') {
		return { attribute: v.attribute.trim(), value: v.value.trim() };
	}
	return undefined;
}

const norm = (text: unknown) => String(text).trim().toLowerCase();

function membershipTest(groupName: string, dir: DirectoryIndex): (user: ScimUser) => boolean {
	const group = dir.groupsByName.get(normaliseGroupName(groupName));
	// A scope group Plek lacks (or has twice) holds nobody: fail closed, nobody is deactivated as missing.
	// Stryker disable next-line ArrowFunction: callers only test the answer's truth, so () => undefined is () => false (equivalent mutant)
	if (group === undefined || group === 'ambiguous') return () => false;
	const members = new Set((group.members ?? []).map((m) => m.value));
	return (user) => members.has(user.id);
}

export function scopeOf(scope: MissingScope | undefined, dir: DirectoryIndex): Scope {
	// Stryker disable next-line ObjectLiteral: planMissingUsers and guardCountsOf default to exactly these (equivalent mutant)
	if (!scope) return { inScope: () => true, managedActive: dir.managedActive };
	let inScope: (user: ScimUser) => boolean;
	if ('group' in scope) inScope = membershipTest(scope.group, dir);
	else {
		const wanted = norm(scope.value);
		inScope = (user) => {
			const actual = readScimPath(user, scope.attribute);
			return actual !== undefined && actual !== null && norm(actual) === wanted;
		};
	}
	let managedActive = 0;
	for (const position of dir.byExternalId.values()) {
		const user = dir.listed[position];
		if (user.active !== false && inScope(user)) managedActive++;
	}
	return { inScope, managedActive };
}
