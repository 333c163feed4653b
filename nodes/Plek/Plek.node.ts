import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as group from './actions/group/Group.resource';
import { router } from './actions/router';
import * as user from './actions/user/User.resource';
import { listSearch, loadOptions } from './methods';

export class Plek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plek',
		name: 'plek',
		icon: { light: 'file:plek.svg', dark: 'file:plek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Get, create, update, deactivate and reactivate Plek users and manage group members (SCIM 2.0)',
		defaults: { name: 'Plek' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plekApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Group', value: 'group' },
					{ name: 'User', value: 'user' },
				],
				default: 'user',
			},
			...user.description,
			...group.description,
		],
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
