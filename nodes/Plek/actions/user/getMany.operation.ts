import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filterEq } from '../../../../transport';
import type { PlekExecutionContext } from '../../helpers/interfaces';
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

export async function execute(this: IExecuteFunctions, ctx: PlekExecutionContext, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : Math.max(1, Math.floor(this.getNodeParameter('limit', itemIndex, 50) as number));
	const filterType = this.getNodeParameter('filterType', itemIndex, 'none') as string;
	let filter = '';
	if (filterType === 'attribute') {
		const attribute = String(this.getNodeParameter('filterAttribute', itemIndex, '') ?? '').trim();
		const value = String(this.getNodeParameter('filterValue', itemIndex, '') ?? '');
		try {
			filter = filterEq(attribute, value);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, {
				itemIndex,
				description: 'Use a plain attribute path such as userName, emails.value or name.familyName.',
			});
		}
	} else if (filterType === 'raw') {
		filter = String(this.getNodeParameter('filter', itemIndex, '') ?? '').trim();
		if (!filter) throw new NodeOperationError(this.getNode(), 'The SCIM filter is empty', { itemIndex });
	}
	const users =
		filter === '' && limit === undefined
			? await ctx.client.listUsers()
			: await ctx.client.searchUsers(filter, limit);
	return users.map(userToJson);
}
