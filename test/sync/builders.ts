// Small builders for planner/executor tests.
import { createdGroupExternalId } from '../../core/sync/planner/ownership';
import type { PlekUserRecord, ScimGroup, ScimUser } from '../../core/types';
export { ENTERPRISE as ENT } from '../support/scim';
export const WORK_EMAIL = 'emails[type eq "work"].value';

export function record(key: string, overrides: Partial<PlekUserRecord> = {}): PlekUserRecord {
	return {
		key,
		userName: `${key}@acme.nl`,
		active: true,
		profile: { 'name.givenName': `Given ${key}`, [WORK_EMAIL]: `${key}@acme.nl` },
		...overrides,
	};
}

let nextId = 1;
export function plekUser(externalId: string | undefined, overrides: Partial<ScimUser> = {}): ScimUser {
	const name = externalId ?? `unmanaged${nextId}`;
	const user: ScimUser = {
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
		id: `id-${name}-${nextId++}`,
		userName: `${name}@acme.nl`,
		active: true,
		name: { givenName: `Given ${name}` },
		emails: [{ type: 'work', value: `${name}@acme.nl` }],
		meta: { version: 'W/"1"' },
		...overrides,
	};
	if (externalId !== undefined) user.externalId = externalId;
	return user;
}

export function group(displayName: string, members: ScimUser[] = [], id = `g-${displayName}`): ScimGroup {
	return { id, displayName, members: members.map((m) => ({ value: m.id })) };
}

/** A group the Sync created itself (Create Missing Groups): marked by its externalId, so the Sync owns it. */
export function createdGroup(displayName: string, members: ScimUser[] = [], id = `g-${displayName}`): ScimGroup {
	return { ...group(displayName, members, id), externalId: createdGroupExternalId(displayName) };
}
