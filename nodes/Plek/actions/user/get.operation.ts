import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findUser } from '../../helpers/lookup';
import { selectUserFields, simplifyUser, userToJson } from '../../helpers/utils';
import { readGetUser, type GetUserParams } from '../../params';
import { userLocatorProperty } from '../common.descriptions';

const properties: INodeProperties[] = [
	userLocatorProperty,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Simplified',
				value: 'simplified',
				description: 'ID, external ID, user name, name, e-mail, title, department and active: compact, for AI agents too',
			},
			{ name: 'Raw', value: 'raw', description: 'The SCIM user exactly as Plek returns it' },
			{ name: 'Selected Fields', value: 'fields', description: 'Only the SCIM attributes you name (and the ID)' },
		],
		default: 'simplified',
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: '',
		placeholder: 'e.g. userName, emails, title',
		description: 'Comma-separated top-level SCIM attributes to return',
		displayOptions: { show: { output: ['fields'] } },
	},
];

const displayOptions = { show: { resource: ['user'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const read = readGetUser;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: GetUserParams, itemIndex: number): Promise<IDataObject> {
	const user = await findUser.call(this, ctx.client, params.user, itemIndex);
	if (params.output === 'raw') return userToJson(user);
	if (params.output === 'fields') return selectUserFields(user, params.fields);
	return simplifyUser(user);
}
