import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ScimGroup, ScimUser } from '../../../core/types';
import type { PlekScimClient } from '../../../transport';

export type UserFindBy = 'id' | 'externalId' | 'userName';

const WHAT: Record<UserFindBy, string> = {
	id: 'Plek ID',
	externalId: 'External ID',
	userName: 'User Name',
};

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

/** The User resource locator of an item: how to look the user up and the value. "From List" holds the Plek ID. */
export function userLocator(this: IExecuteFunctions, itemIndex: number): { by: UserFindBy; value: string } {
	const locator = this.getNodeParameter('user', itemIndex, {}) as { mode?: string; value?: unknown };
	const mode = locator.mode ?? 'list';
	const by: UserFindBy | undefined = mode === 'list' ? 'id' : mode in WHAT ? (mode as UserFindBy) : undefined;
	if (!by) throw new NodeOperationError(this.getNode(), `Unknown User mode ${JSON.stringify(mode)}`, { itemIndex });
	return { by, value: String(locator.value ?? '').trim() };
}

/** Reads the User locator of an item and returns the user; a user that does not exist is an item error. */
export async function findUserForItem(
	this: IExecuteFunctions,
	client: PlekScimClient,
	itemIndex: number,
): Promise<ScimUser> {
	const { by, value } = userLocator.call(this, itemIndex);
	if (!value) {
		throw new NodeOperationError(this.getNode(), `The ${WHAT[by]} to look the user up by is empty`, {
			itemIndex,
			description: 'Pick a user from the list, or enter their Plek ID, External ID or User Name.',
		});
	}
	const user = await lookupUser(client, by, value);
	if (!user) {
		throw new NodeOperationError(this.getNode(), `No Plek user found with ${WHAT[by]} ${JSON.stringify(value)}`, {
			itemIndex,
			description: 'Check the value, or create the user first.',
		});
	}
	return user;
}

export type MemberIdType = 'id' | 'externalId';

/**
 * Resolves members given as Plek IDs or External IDs to users. Every id is looked up (concurrently, paced by the
 * transport); ids that match no Plek user are reported together in one item error.
 */
export async function resolveMembers(
	this: IExecuteFunctions,
	client: PlekScimClient,
	ids: string[],
	idType: MemberIdType,
	itemIndex: number,
): Promise<ScimUser[]> {
	if (ids.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No members given', {
			itemIndex,
			description: 'Enter one or more IDs, separated by commas, or an expression that returns a list.',
		});
	}
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

/** Reads the Group locator of an item and returns the group (From List and By ID: the Plek ID; By Name: looked up). */
export async function findGroupForItem(
	this: IExecuteFunctions,
	client: PlekScimClient,
	itemIndex: number,
): Promise<{ id: string; displayName?: string }> {
	const locator = this.getNodeParameter('group', itemIndex, {}) as { mode?: string; value?: unknown };
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'name') {
		if (!value) throw new NodeOperationError(this.getNode(), 'The group name is empty', { itemIndex });
		const group: ScimGroup | undefined = await client.findGroupByName(value);
		if (!group) {
			throw new NodeOperationError(this.getNode(), `No Plek group found with the name ${JSON.stringify(value)}`, {
				itemIndex,
			});
		}
		return { id: group.id, displayName: group.displayName };
	}
	if (!value) {
		throw new NodeOperationError(this.getNode(), 'No group chosen', { itemIndex, description: 'Pick a group from the list, or enter its Plek ID or name.' });
	}
	return { id: value };
}
