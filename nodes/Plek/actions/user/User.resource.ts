import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deactivate from './deactivate.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reactivate from './reactivate.operation';
import * as update from './update.operation';

export { create, deactivate, get, getMany, reactivate, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a user in Plek',
				action: 'Create a user',
			},
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a user (sets active to false; users are never deleted)',
				action: 'Deactivate a user',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a user by Plek ID, External ID or User Name',
				action: 'Get a user',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many users, optionally filtered',
				action: 'Get many users',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Reactivate a deactivated user (sets active to true)',
				action: 'Reactivate a user',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change profile fields of a user',
				action: 'Update a user',
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...create.description,
	...update.description,
	...deactivate.description,
	...reactivate.description,
];
