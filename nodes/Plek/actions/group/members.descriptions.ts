import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findGroupForItem, resolveMembers } from '../../helpers/lookup';
import type { MemberIdType } from '../../helpers/lookup';
import { parseIdList } from '../../helpers/utils';

/** The group and the member list of Add Members / Remove Members. */
export function memberProperties(adding: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Find Group By',
			name: 'groupFindBy',
			type: 'options',
			options: [
				{ name: 'Group From List or ID', value: 'id', description: 'Choose the group, or give its Plek ID' },
				{ name: 'Display Name', value: 'displayName', description: 'The exact name of the group' },
			],
			default: 'id',
		},
		{
			displayName: 'Group Name or ID',
			name: 'groupId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getGroups' },
			required: true,
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			displayOptions: { show: { groupFindBy: ['id'] } },
		},
		{
			displayName: 'Group Name',
			name: 'groupName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. All staff',
			description: 'The display name of the group',
			displayOptions: { show: { groupFindBy: ['displayName'] } },
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
	itemIndex: number,
	operation: 'addMembers' | 'removeMembers',
): Promise<IDataObject> {
	const idType = this.getNodeParameter('memberIdType', itemIndex, 'externalId') as MemberIdType;
	const ids = parseIdList(this.getNodeParameter('members', itemIndex, ''));
	const group = await findGroupForItem.call(this, ctx.client, itemIndex);
	const users = await resolveMembers.call(this, ctx.client, ids, idType, itemIndex);
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
