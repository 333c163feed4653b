import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { findUserForItem } from '../../helpers/lookup';
import { selectUserFields, simplifyUser, userToJson } from '../../helpers/utils';
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

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, itemIndex: number): Promise<IDataObject> {
	const user = await findUserForItem.call(this, ctx.client, itemIndex);
	const output = this.getNodeParameter('output', itemIndex, 'simplified') as string;
	if (output === 'raw') return userToJson(user);
	if (output === 'fields') return selectUserFields(user, String(this.getNodeParameter('fields', itemIndex, '') ?? '').split(','));
	return simplifyUser(user);
}
