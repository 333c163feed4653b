import type { INodeProperties } from 'n8n-workflow';

import * as addMembers from './addMembers.operation';
import * as getMany from './getMany.operation';
import * as removeMembers from './removeMembers.operation';

export { addMembers, getMany, removeMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Add Members',
				value: 'addMembers',
				description: 'Add users to a group',
				action: 'Add members to a group',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many groups',
				action: 'Get many groups',
			},
			{
				name: 'Remove Members',
				value: 'removeMembers',
				description: 'Remove users from a group',
				action: 'Remove members from a group',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...addMembers.description,
	...removeMembers.description,
];
