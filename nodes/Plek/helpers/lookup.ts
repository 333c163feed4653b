import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ScimGroup, ScimUser } from '../../../core/types';
import type { PlekScimClient } from '../../../transport';
import { USER_FIND_BY, type GroupLocator, type MemberIdType, type UserFindBy, type UserLocator } from '../params';

/** Looks a user up by Plek ID, External ID or User Name (filters escaped by the transport). */
export async function lookupUser(
	client: PlekScimClient,
	by: UserFindBy,
	value: string,
): Promise<ScimUser | undefined> {
	if (by === 'id') return await client.getUser(value);
	if (by === 'externalId') return await client.findUserByExternalId(value);
	return await client.findUserByUserName(value);
}

/** The user a User locator (checked by params.ts) names; a user that does not exist is an item error. */
export async function findUser(
	this: IExecuteFunctions,
	client: PlekScimClient,
	locator: UserLocator,
	itemIndex: number,
): Promise<ScimUser> {
	const user = await lookupUser(client, locator.by, locator.value);
	if (!user) {
		throw new NodeOperationError(this.getNode(), `No Plek user found with ${USER_FIND_BY[locator.by]} ${JSON.stringify(locator.value)}`, {
			itemIndex,
			description: 'Check the value, or create the user first.',
		});
	}
	return user;
}

/**
 * Resolves members given as Plek IDs or External IDs (checked by params.ts) to users. Every id is looked up
 * (concurrently, paced by the transport); ids that match no Plek user are reported together in one item error.
 */
export async function resolveMembers(
	this: IExecuteFunctions,
	client: PlekScimClient,
	ids: string[],
	idType: MemberIdType,
	itemIndex: number,
): Promise<ScimUser[]> {
	const found = await Promise.all(ids.map(async (id) => await lookupUser(client, idType, id)));
	const missing = ids.filter((_, position) => !found[position]);
	if (missing.length > 0) {
		const what = idType === 'id' ? 'Plek ID' : 'External ID';
		const list = missing.map((id) => JSON.stringify(id)).join(', ');
		throw new NodeOperationError(
			this.getNode(),
			`No Plek user found with ${what}${missing.length > 1 ? 's' : ''} ${list}`,
			{ itemIndex, description: 'Nothing was changed in the group. Check the IDs, or create the users first.' },
		);
	}
	return found as ScimUser[];
}

/** The group a Group locator (checked by params.ts) names: From List and By ID hold the Plek ID; By Name is looked up. */
export async function findGroup(
	this: IExecuteFunctions,
	client: PlekScimClient,
	locator: GroupLocator,
	itemIndex: number,
): Promise<{ id: string; displayName?: string }> {
	if (locator.by === 'id') return { id: locator.value };
	const group: ScimGroup | undefined = await client.findGroupByName(locator.value);
	if (!group) {
		throw new NodeOperationError(this.getNode(), `No Plek group found with the name ${JSON.stringify(locator.value)}`, {
			itemIndex,
		});
	}
	return { id: group.id, displayName: group.displayName };
}
