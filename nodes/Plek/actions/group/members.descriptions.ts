import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findGroup, resolveMembers } from '../../helpers/lookup';
import type { MemberParams } from '../../params';

/** The group and the member list of Add Members / Remove Members. */
export function memberProperties(adding: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Group',
			name: 'group',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: 'The Plek group: pick from the list or give its Plek ID or exact name',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a group...',
					typeOptions: { searchListMethod: 'searchGroups', searchable: true },
				},
				{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 5a1c0e3f-2b7d-4c55-9f0e-2a6b1c9d4e11' },
				{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. All staff' },
			],
		},
		{
			displayName: 'Members Given As',
			name: 'memberIdType',
			type: 'options',
			options: [
				{ name: 'Plek IDs', value: 'id' },
				{ name: 'External IDs', value: 'externalId', description: 'Mapping keys (SCIM externalId), looked up in Plek' },
			],
			default: 'externalId',
			description: 'What kind of IDs the member list holds',
		},
		{
			displayName: 'Members',
			name: 'members',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1001, 1002',
			description: `The users to ${adding ? 'add to' : 'remove from'} the group: IDs separated by commas or new lines, or an expression returning a list. Every ID must belong to a Plek user, otherwise nothing is changed.`,
		},
	];
}

/** Add Members and Remove Members differ only in the PATCH they send; both resolve the group and every member first. */
export async function changeMembers(
	this: IExecuteFunctions,
	ctx: PlekExecutionContext,
	params: MemberParams,
	itemIndex: number,
	operation: 'addMembers' | 'removeMembers',
): Promise<IDataObject> {
	const group = await findGroup.call(this, ctx.client, params.group, itemIndex);
	const users = await resolveMembers.call(this, ctx.client, params.ids, params.idType, itemIndex);
	// Every check before any write: a refused member changes nothing in the group.
	const action = operation === 'addMembers' ? 'Add Members' : 'Remove Members';
	await ctx.protection.assertGroupUnprotected(this, group, action, itemIndex);
	if (operation === 'removeMembers') for (const user of users) await ctx.protection.assertUnprotected(this, user, action, itemIndex);
	const userIds = [...new Set(users.map((user) => user.id))];
	if (operation === 'addMembers') await ctx.client.addGroupMembers(group.id, userIds);
	else await ctx.client.removeGroupMembers(group.id, userIds);
	return {
		groupId: group.id,
		...(group.displayName !== undefined ? { groupName: group.displayName } : {}),
		operation,
		count: userIds.length,
		members: users.map((user) => ({
			id: user.id,
			userName: user.userName,
			...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
		})),
	};
}
