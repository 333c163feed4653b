import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlekExecutionContext } from '../../helpers/interfaces';
import { readGetManyUsers, type GetManyUsersParams } from '../../params';
import { returnAllOrLimit } from '../common.descriptions';
import { userToJson } from '../../helpers/utils';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filter',
		name: 'filterType',
		type: 'options',
		options: [
			{ name: 'None', value: 'none', description: 'All users' },
			{
				name: 'Attribute Equals Value',
				value: 'attribute',
				description: 'Users whose attribute equals a value (the value is escaped for you)',
			},
			{ name: 'SCIM Filter', value: 'raw', description: 'A SCIM filter expression written by hand' },
		],
		default: 'none',
		description: 'Which users to return',
	},
	{
		displayName: 'Attribute',
		name: 'filterAttribute',
		type: 'string',
		default: 'userName',
		required: true,
		placeholder: 'e.g. externalId',
		description:
			'SCIM attribute path to compare, such as userName, externalId, emails.value, name.familyName or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
		displayOptions: { show: { filterType: ['attribute'] } },
	},
	{
		displayName: 'Value',
		name: 'filterValue',
		type: 'string',
		default: '',
		description: 'The value the attribute must equal',
		displayOptions: { show: { filterType: ['attribute'] } },
	},
	{
		displayName: 'SCIM Filter',
		name: 'filter',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. name.familyName eq "Jansen" and active eq true',
		description:
			'A filter as defined in RFC 7644 section 3.4.2.2. Values are sent as written: quote them and escape " and \\ yourself.',
		displayOptions: { show: { filterType: ['raw'] } },
	},
];

const displayOptions = { show: { resource: ['user'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const read = readGetManyUsers;

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, params: GetManyUsersParams): Promise<IDataObject[]> {
	const { filter, limit } = params;
	const users = filter === '' && limit === undefined ? await ctx.client.listUsers() : await ctx.client.searchUsers(filter, limit);
	return users.map(userToJson);
}
