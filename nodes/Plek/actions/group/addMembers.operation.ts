import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findGroupForItem, resolveMembers } from '../../helpers/lookup';
import type { MemberIdType } from '../../helpers/lookup';
import { parseIdList } from '../../helpers/utils';
import { memberProperties } from './members.descriptions';

const properties: INodeProperties[] = memberProperties(true);

const displayOptions = { show: { resource: ['group'], operation: ['addMembers'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, itemIndex: number): Promise<IDataObject> {
	const idType = this.getNodeParameter('memberIdType', itemIndex, 'externalId') as MemberIdType;
	const ids = parseIdList(this.getNodeParameter('members', itemIndex, ''));
	const group = await findGroupForItem.call(this, ctx.client, itemIndex);
	const users = await resolveMembers.call(this, ctx.client, ids, idType, itemIndex);
	const userIds = [...new Set(users.map((user) => user.id))];
	await ctx.client.addGroupMembers(group.id, userIds);
	return {
		groupId: group.id,
		...(group.displayName !== undefined ? { groupName: group.displayName } : {}),
		operation: 'addMembers',
		count: userIds.length,
		members: users.map((user) => ({
			id: user.id,
			userName: user.userName,
			...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
		})),
	};
}
